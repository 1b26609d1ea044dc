package org.mixbt.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.mixbt.core.eval.KnnResult;
import org.mixbt.core.loss.StepTerms;
import org.mixbt.core.model.OptimizerSpec;

/**
 * One epoch's summary: the JSON line of the metrics file and the console summary. The report
 * ({@code org.mixbt.job.report}) reads the fields by name, so new fields need no change there.
 */
final class EpochMetrics {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What every epoch of a run shares: its batch per worker, worker count and optimiser (for the rates).
   */
  record Run(int batchSize, int workers, OptimizerSpec optimizer) {
    static Run of(JobSettings settings, long stepsPerEpoch, int workers) {
      return new Run(settings.batchSize, workers, settings.optimizer.spec(stepsPerEpoch, settings.epochs,
          workers * settings.batchSize, settings.seed));
    }
  }

  final int epoch;
  final int steps;
  final int skippedSteps;
  final double lossBt;
  final double lossMix;
  final double seconds;
  final double imagesPerSecond;
  private final Run run;
  /** The epoch's steps in step order (the accumulator collects them in completion order). */
  private final List<StepTerms> terms;
  /** Seconds since the driver JVM started, when the epoch's training ended. */
  private final double wallSeconds;
  KnnResult knn;
  /** The epoch's statistics pass; null when none ran. */
  StatisticsPass.Result statistics;

  EpochMetrics(int epoch, List<StepTerms> terms, Run run, double seconds) {
    this.epoch = epoch;
    this.terms = terms.stream().sorted(Comparator.comparingLong(StepTerms::step)).toList();
    this.steps = terms.size();
    this.seconds = seconds;
    this.run = run;
    this.wallSeconds = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
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
    this.imagesPerSecond = steps * (double) run.batchSize() / Math.max(seconds, 1e-9);
  }

  String toJson() {
    ObjectNode line = JSON.createObjectNode();
    line.put("epoch", epoch);
    line.put("steps", steps);
    line.put("skipped_steps", skippedSteps);
    line.put("loss_bt", lossBt);
    line.put("loss_mix", lossMix);
    line.put("loss", lossBt + lossMix);
    rates(line);
    line.put("seconds", seconds);
    line.put("wall_s", wallSeconds);
    line.put("time", Instant.now().toString());
    line.put("workers", run.workers());
    line.put("images_per_s", imagesPerSecond);
    // Parameter averaging runs the workers in lock step, so each trains this share of the throughput.
    line.put("images_per_s_per_worker", imagesPerSecond / run.workers());
    if (knn != null) {
      line.put("knn_top1", knn.top1Percent());
      line.put("knn_top5", knn.top5Percent());
    }
    stepLosses(line);
    if (statistics != null) {
      statistics.writeTo(line);
    }
    return line.toString();
  }

  /** The rates at the epoch's last step (LARS: also the rate of biases and BatchNorm parameters). */
  private void rates(ObjectNode line) {
    if (terms.isEmpty()) {
      return;
    }
    long last = terms.get(terms.size() - 1).step();
    line.put("lr", run.optimizer().learningRateAt(last));
    if (run.optimizer().algorithm() == OptimizerSpec.Algorithm.LARS) {
      line.put("lr_bias", run.optimizer().biasLearningRateAt(last));
    }
  }

  /** Per-step loss terms for the report's per-step plot; a skipped (degenerate) step is null. */
  private void stepLosses(ObjectNode line) {
    if (terms.isEmpty()) {
      return;
    }
    line.put("first_step", terms.get(0).step());
    ArrayNode bt = line.putArray("step_loss_bt");
    ArrayNode mix = line.putArray("step_loss_mix");
    for (StepTerms t : terms) {
      if (t.skipped()) {
        bt.addNull();
        mix.addNull();
      } else {
        bt.add(t.lossBt());
        mix.add(t.lossMix());
      }
    }
  }

  String summary() {
    return String.format("epoch %d done: %d steps, loss_bt %.3f, loss_mix %.3f, %.1f img/s, %.0f s%s%s", epoch,
        steps, lossBt, lossMix, imagesPerSecond, seconds,
        skippedSteps > 0 ? ", " + skippedSteps + " degenerate steps skipped" : "",
        knn == null ? "" : String.format(", kNN top-1 %.2f%% top-5 %.2f%%", knn.top1Percent(), knn.top5Percent()));
  }
}
