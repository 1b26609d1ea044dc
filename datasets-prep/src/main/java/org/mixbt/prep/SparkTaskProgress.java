package org.mixbt.prep;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Feeds a {@link PrepProgress} from finished Spark tasks (records and bytes read from input files): the
 * driver's view of distributed work, at task granularity.
 */
final class SparkTaskProgress extends SparkListener {
  private final PrepProgress progress;
  /** The first stage seen reads the input files; later stages re-read cached rows and are not counted. */
  private volatile int inputStage = -1;

  SparkTaskProgress(PrepProgress progress) {
    this.progress = progress;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.taskMetrics() == null || end.taskMetrics().inputMetrics().recordsRead() == 0) {
      return;
    }
    synchronized (this) {
      if (inputStage < 0) {
        inputStage = end.stageId();
      }
    }
    if (end.stageId() == inputStage) {
      progress.add(end.taskMetrics().inputMetrics().recordsRead(), end.taskMetrics().inputMetrics().bytesRead());
    }
  }
}
