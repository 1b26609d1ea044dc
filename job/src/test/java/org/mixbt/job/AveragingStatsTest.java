package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.spark.api.stats.CommonSparkTrainingStats;
import org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingMasterStats;
import org.deeplearning4j.spark.stats.BaseEventStats;
import org.deeplearning4j.spark.stats.EventStats;
import org.junit.jupiter.api.Test;

/** The per-round overhead and per-worker throughput read from DL4J's own stats objects. */
class AveragingStatsTest {
  private static EventStats event(String jvm, long start, long millis) {
    return new BaseEventStats("machine", jvm, 1, start, millis);
  }

  @Test
  void overheadIsTheFitTimeBeyondTheSlowestTaskOfTheRoundAndWorkersAreKeptApart() {
    // Three fit calls (rounds); the last two are the epoch to summarise.
    List<EventStats> fits = List.of(event("driver", 0, 1000), event("driver", 2000, 1000), event("driver", 4000, 600));
    List<EventStats> tasks = List.of(event("w1", 100, 800), event("w2", 120, 700), event("w1", 2100, 850),
        event("w2", 2050, 900), event("w1", 4050, 500), event("w2", 4100, 400));
    List<EventStats> minibatches = new ArrayList<>(List.of(event("w1", 150, 300), event("w2", 150, 300)));
    minibatches.addAll(List.of(event("w1", 2150, 400), event("w1", 2550, 400), event("w1", 4060, 450)));
    minibatches.addAll(List.of(event("w2", 2100, 500), event("w2", 2600, 300), event("w2", 4110, 200)));
    CommonSparkTrainingStats workers = new CommonSparkTrainingStats.Builder().workerFlatMapTotalTimeMs(tasks)
        .workerFlatMapProcessMiniBatchTimesMs(minibatches).build();
    var master = new ParameterAveragingTrainingMasterStats(workers, List.of(), List.of(), List.of(), fits, List.of(),
        List.of(), List.of(), List.of(), List.of());

    AveragingStats stats = AveragingStats.of(master, 2, 16);

    assertEquals(List.of(new AveragingStats.Round(1000, 900), new AveragingStats.Round(600, 500)), stats.rounds());
    assertEquals(100, stats.rounds().get(0).overheadMs());
    // Only the summarised rounds' minibatches: 3 of 16 images in 1.25 s, 3 in 1.0 s.
    assertEquals(new AveragingStats.Worker("machine/w1", 3, 1250), stats.workers().get("machine/w1"));
    assertEquals(38.4, stats.workers().get("machine/w1").imagesPerSecond(16), 1e-9);
    assertEquals(48.0, stats.workers().get("machine/w2").imagesPerSecond(16), 1e-9);
    String summary = stats.summary();
    assertTrue(summary.startsWith("averaging: 2 rounds, per round 800 ms = slowest worker 700 ms + averaging overhead"
        + " 100 ms (12.5%)"), summary);
    assertTrue(summary.contains("workers: #1 38.4 img/s (3 minibatches, 1.3 s) #2 48.0 img/s (3 minibatches, 1.0 s)"),
        summary);
  }
}
