package org.mixbt.job;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.mixbt.core.checkpoint.CheckpointException;
import org.mixbt.core.checkpoint.CheckpointStore;
import org.mixbt.core.checkpoint.TrainingState;

/**
 * How a run starts, decided on the driver before any data is read: fresh (no checkpoint in the run
 * folder), resumed from the newest complete checkpoint whose result-relevant configuration equals this
 * run's ({@link ResumeConfig}), or already finished (its checkpoint holds every configured epoch). So the
 * same command, rerun after a crash, continues where the last checkpoint left off, and rerun after
 * success does nothing.
 *
 * @param from the checkpoint folder resumed from; null for a fresh run
 * @param state its training state; null for a fresh run
 */
record RunStart(String runId, int epochs, Path from, TrainingState state, List<String> metricsLines) {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunStart.class);

  /**
   * Reads the run folder. A configuration that differs from the checkpoint's is a ConfigException naming
   * every differing key; a checkpoint that cannot be read is a CheckpointException naming the file.
   */
  static RunStart decide(JobSettings settings, CheckpointStore checkpoints) {
    Path latest = checkpoints.latest();
    if (latest == null) {
      if (checkpoints.hasEpochFolders()) {
        throw new CheckpointException("Cannot resume run " + settings.runId + ": " + checkpoints.runDir()
            + " holds epoch folders but none is complete (each needs " + String.join(", ", CheckpointStore.FILES)
            + "); remove the folder or set another mixbt.run-id");
      }
      return new RunStart(settings.runId, settings.epochs, null, null, List.of());
    }
    TrainingState state;
    try {
      state = checkpoints.readState(latest);
    } catch (CheckpointException e) {
      throw withOlderCheckpointHint(e, latest);
    }
    Path configFile = new Path(latest, CheckpointStore.CONFIG);
    List<String> differences;
    try {
      differences = ResumeConfig.differences(ResumeConfig.relevant(checkpoints.readConfig(latest)),
          ResumeConfig.relevant(settings.render()));
    } catch (com.typesafe.config.ConfigException e) {
      throw new CheckpointException("Cannot read checkpoint configuration " + configFile + ": " + e.getMessage(), e);
    }
    if (!differences.isEmpty()) {
      throw new ConfigException("Cannot resume run " + settings.runId + " from " + latest + ": the configuration"
          + " differs from the checkpoint's in " + String.join(", ", differences) + "; rerun with the settings of "
          + configFile + " or set another mixbt.run-id");
    }
    return new RunStart(settings.runId, settings.epochs, latest, state, checkpoints.readMetrics(latest));
  }

  /** A damaged newest checkpoint is not skipped silently (it may be a copy in progress); say how to go on. */
  private static CheckpointException withOlderCheckpointHint(CheckpointException e, Path damaged) {
    return new CheckpointException(e.getMessage() + " (to resume from the checkpoint before it, remove " + damaged
        + ")", e);
  }

  boolean resuming() {
    return state != null && !finished();
  }

  /** True when the checkpoint already holds every configured epoch: nothing to train. */
  boolean finished() {
    return state != null && state.epoch() >= epochs;
  }

  /** The first epoch to train (0-based): the number of epochs already checkpointed. */
  int firstEpoch() {
    return state == null ? 0 : state.epoch();
  }

  String finishedMessage() {
    return "Run " + runId + " is finished: " + from + " holds epoch " + state.epoch() + " of mixbt.training.epochs = "
        + epochs + "; nothing to train (raise mixbt.training.epochs to extend it, or set another mixbt.run-id)";
  }

  /** The checkpoint's network with its updater state; logs where training continues. */
  ComputationGraph loadNetwork(CheckpointStore checkpoints) {
    ComputationGraph network;
    try {
      network = checkpoints.loadNetwork(from);
    } catch (CheckpointException e) {
      throw withOlderCheckpointHint(e, from);
    }
    LOG.info("Resuming run {} from {}: epoch {} of {} done, continuing at global step {}", runId, from,
        state.epoch(), epochs, state.globalStep());
    return network;
  }

  /**
   * A resumed run must cut its epochs into as many steps, and average over as many workers, as the
   * checkpointed one did (the settings can match while the data or Spark's default parallelism changed).
   */
  void checkLayout(long stepsPerEpoch, long records, int workers) {
    if (state == null) {
      return;
    }
    if (state.stepsPerEpoch() != stepsPerEpoch) {
      throw new ConfigException("Cannot resume run " + runId + " from " + from + ": it trained "
          + state.stepsPerEpoch() + " steps per epoch, the data now gives " + stepsPerEpoch + " (" + records
          + " records): the shards changed");
    }
    if (state.workers() != workers) {
      throw new ConfigException("Cannot resume run " + runId + " from " + from + ": it trained with "
          + state.workers() + " parameter-averaging workers, now " + workers + " (mixbt.spark.workers = 0 takes"
          + " Spark's default parallelism; set mixbt.spark.workers = " + state.workers() + ")");
    }
  }
}
