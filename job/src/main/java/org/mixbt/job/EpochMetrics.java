package org.mixbt.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.mixbt.core.eval.KnnResult;
import org.mixbt.core.loss.StepTerms;

/** One epoch's summary: the JSON line of the metrics file and the console summary. */
final class EpochMetrics {
  private static final ObjectMapper JSON = new ObjectMapper();

  final int epoch;
  final int steps;
  final int skippedSteps;
  final double lossBt;
  final double lossMix;
  final double seconds;
  final double imagesPerSecond;
  KnnResult knn;
  /** The epoch's statistics pass; null when none ran. */
  StatisticsPass.Result statistics;

  EpochMetrics(int epoch, List<StepTerms> terms, int batchSize, double seconds) {
    this.epoch = epoch;
    this.steps = terms.size();
    this.seconds = seconds;
    int skipped = 0;
    double bt = 0;
    double mix = 0;
    for (StepTerms t : terms) {
      if (t.skipped()) {
        skipped++;
      } else {
        bt += t.lossBt();
        mix += t.lossMix();
      }
    }
    int trained = Math.max(1, steps - skipped);
    this.skippedSteps = skipped;
    this.lossBt = bt / trained;
    this.lossMix = mix / trained;
    this.imagesPerSecond = steps * (double) batchSize / Math.max(seconds, 1e-9);
  }

  String toJson() {
    ObjectNode line = JSON.createObjectNode();
    line.put("epoch", epoch);
    line.put("steps", steps);
    line.put("skipped_steps", skippedSteps);
    line.put("loss_bt", lossBt);
    line.put("loss_mix", lossMix);
    line.put("loss", lossBt + lossMix);
    line.put("seconds", seconds);
    line.put("images_per_s", imagesPerSecond);
    if (knn != null) {
      line.put("knn_top1", knn.top1Percent());
      line.put("knn_top5", knn.top5Percent());
    }
    if (statistics != null) {
      statistics.writeTo(line);
    }
    return line.toString();
  }

  String summary() {
    return String.format("epoch %d done: %d steps, loss_bt %.3f, loss_mix %.3f, %.1f img/s, %.0f s%s%s", epoch,
        steps, lossBt, lossMix, imagesPerSecond, seconds,
        skippedSteps > 0 ? ", " + skippedSteps + " degenerate steps skipped" : "",
        knn == null ? "" : String.format(", kNN top-1 %.2f%% top-5 %.2f%%", knn.top1Percent(), knn.top5Percent()));
  }
}
