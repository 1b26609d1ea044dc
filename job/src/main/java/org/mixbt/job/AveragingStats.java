package org.mixbt.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.spark.api.stats.CommonSparkTrainingStats;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingMasterStats;
import org.deeplearning4j.spark.stats.EventStats;

/**
 * The numbers a parameter-averaging run on a cluster is judged by, from the timings DL4J collects when
 * {@code mixbt.spark.collect-training-stats} is on: each worker's training throughput, and per round the time
 * spent outside the workers' training. DL4J's own "aggregate" timing cannot say the latter: its tree
 * aggregation is the action that runs the whole round, training included. So the overhead of a round is the
 * driver's wall time of the round's fit call minus the longest worker task of that round: broadcasting the
 * parameters and updater state, launching tasks, returning every worker's parameters and updater state, the
 * tree aggregation and the division, plus any wait for a straggler's start.
 */
final class AveragingStats {
  /** One fit call (one averaging round) on the driver and its slowest worker task. */
  record Round(long fitMs, long slowestWorkerMs) {
    long overheadMs() {
      return Math.max(0, fitMs - slowestWorkerMs);
    }
  }

  /** One worker JVM's minibatches and the time spent processing them (forward, loss, backward, update). */
  record Worker(String id, int minibatches, long processMs) {
    double imagesPerSecond(int batchSize) {
      return processMs == 0 ? 0 : minibatches * (double) batchSize / (processMs / 1000.0);
    }
  }

  private final List<Round> rounds;
  private final Map<String, Worker> workers;
  private final int batchSize;

  private AveragingStats(List<Round> rounds, Map<String, Worker> workers, int batchSize) {
    this.rounds = rounds;
    this.workers = workers;
    this.batchSize = batchSize;
  }

  /**
   * @param stats the training master's stats, cumulative over the session's fit calls
   * @param lastRounds how many of the latest fit calls to summarise (an epoch's rounds)
   */
  static AveragingStats of(SparkTrainingStats stats, int lastRounds, int batchSize) {
    List<EventStats> fits = tail(stats.getValue(ParameterAveragingTrainingMasterStats.PARAMETER_AVERAGING_MASTER_FIT_TIMES_MS),
        lastRounds);
    List<EventStats> tasks = stats.getValue(CommonSparkTrainingStats.WORKER_FLAT_MAP_TOTAL_TIME_MS);
    List<Round> rounds = new ArrayList<>();
    for (EventStats fit : fits) {
      long end = fit.getStartTime() + fit.getDurationMs();
      long slowest = 0;
      for (EventStats task : tasks) {
        // A task belongs to the round whose fit call it ran within (one cluster's clocks are NTP-close;
        // a skew shows as a task of no round, i.e. an overestimated overhead, never a negative one).
        if (task.getStartTime() >= fit.getStartTime() && task.getStartTime() <= end) {
          slowest = Math.max(slowest, task.getDurationMs());
        }
      }
      rounds.add(new Round(fit.getDurationMs(), slowest));
    }
    long firstStart = fits.isEmpty() ? Long.MAX_VALUE : fits.get(0).getStartTime();
    Map<String, Worker> workers = new TreeMap<>();
    for (EventStats batch : stats.getValue(CommonSparkTrainingStats.WORKER_FLAT_MAP_PROCESS_MINI_BATCH_TIMES_MS)) {
      if (batch.getStartTime() >= firstStart) {
        workers.merge(batch.getMachineID() + "/" + batch.getJvmID(),
            new Worker(batch.getMachineID() + "/" + batch.getJvmID(), 1, batch.getDurationMs()),
            (a, b) -> new Worker(a.id(), a.minibatches() + b.minibatches(), a.processMs() + b.processMs()));
      }
    }
    return new AveragingStats(rounds, workers, batchSize);
  }

  private static List<EventStats> tail(List<EventStats> all, int n) {
    return all == null ? List.of() : all.subList(Math.max(0, all.size() - n), all.size());
  }

  List<Round> rounds() {
    return rounds;
  }

  Map<String, Worker> workers() {
    return workers;
  }

  /** Two lines: the rounds' mean fit / slowest worker / overhead, and each worker's img/s. */
  String summary() {
    double fit = rounds.stream().mapToLong(Round::fitMs).average().orElse(0);
    double worker = rounds.stream().mapToLong(Round::slowestWorkerMs).average().orElse(0);
    double overhead = rounds.stream().mapToLong(Round::overheadMs).average().orElse(0);
    StringBuilder line = new StringBuilder(String.format(
        "averaging: %d rounds, per round %.0f ms = slowest worker %.0f ms + averaging overhead %.0f ms (%.1f%%)%n",
        rounds.size(), fit, worker, overhead, fit == 0 ? 0 : 100 * overhead / fit));
    line.append("workers:");
    int n = 1;
    for (Worker w : workers.values()) {
      line.append(String.format(" #%d %.1f img/s (%d minibatches, %.1f s)", n++, w.imagesPerSecond(batchSize),
          w.minibatches(), w.processMs() / 1000.0));
    }
    return line.toString();
  }
}
