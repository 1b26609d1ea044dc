package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.checkpoint.CheckpointStore;
import org.mixbt.core.loss.StepTerms;
import org.mixbt.prep.PrepJob;

/**
 * The whole path on real data: Fashion-MNIST IDX files → prep job (Spark Parquet shards) → pretraining on
 * local[2] with DL4J parameter averaging over two workers → checkpoint → kNN of the encoder.
 */
class PretrainingIT {
  private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
  static SparkSession spark;

  @TempDir
  static Path work;

  @BeforeAll
  static void startSpark() {
    spark = SparkSessions.start("PretrainingIT", "local[2]", 0, 0);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void prepTrainCheckpointAndKnnOnRealFashionMnist() throws Exception {
    assertTrue(Files.isDirectory(FASHION_MNIST), "install the Debian package dataset-fashion-mnist");
    Path shards = work.resolve("fashion-mnist");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int exit = PrepJob.run(new String[] {"idx", "--input", FASHION_MNIST.toString(), "--output", shards.toString(),
        "--dataset", "fashion-mnist", "--shards", "3"}, new PrintStream(log), new PrintStream(log));
    assertEquals(0, exit, log.toString());

    JobSettings settings = JobSettings.load(null, List.of(
        "mixbt.run-id = it", "mixbt.data.shards = \"" + shards + "\"", "mixbt.data.train-limit = 640",
        "mixbt.model.base-width = 4", "mixbt.model.feature-dim = 64", "mixbt.training.epochs = 2",
        "mixbt.training.batch-size = 32", "mixbt.spark.averaging-frequency = 3",
        "mixbt.knn.bank-limit = 2000", "mixbt.checkpoint.root = \"" + work.resolve("checkpoints") + "\""));
    Pretraining.Result result = new Pretraining(spark, settings).run();

    // Every batch of every epoch trained exactly once, each through the loss's pairing check (a batch
    // regrouped by Spark would carry foreign step labels and stop training with "view pairing broken").
    assertEquals(2, result.epochs().size());
    for (int e = 0; e < 2; e++) {
      List<StepTerms> steps = result.epochs().get(e).steps();
      TreeSet<Long> seen = new TreeSet<>();
      steps.forEach(t -> seen.add(t.step()));
      assertEquals(20, steps.size(), "steps of epoch " + (e + 1));
      assertEquals(20, seen.size());
      assertEquals(e * 20L, seen.first());
      assertEquals(e * 20L + 19, seen.last());
      steps.forEach(t -> assertTrue(Double.isFinite(t.lossBt()) && Double.isFinite(t.lossMix()) && !t.skipped()));
    }
    // The Barlow Twins term falls: mean of the last 10 steps below the mean of the first 10.
    double first = meanLossBt(result.epochs().get(0).steps(), 0, 10);
    double last = meanLossBt(result.epochs().get(1).steps(), 10, 20);
    assertTrue(last < first, "loss_bt first 10 steps " + first + ", last 10 steps " + last);

    assertNotNull(result.untrained());
    assertNotNull(result.trained());
    assertEquals(10_000, result.trained().queries());
    assertTrue(result.trained().top1Percent() > 30, "kNN top-1 " + result.trained().top1Percent());

    CheckpointStore store = CheckpointStore.open(work.resolve("checkpoints").toString(), "it", 2, new Configuration());
    assertTrue(store.latest().getName().endsWith("epoch-0002"));
    ComputationGraph restored = store.loadNetwork(store.latest());
    assertArrayEquals(result.network().params().toFloatVector(), restored.params().toFloatVector(), 0f);
    String metrics = Files.readString(Path.of(store.latest().toUri()).resolve(CheckpointStore.METRICS));
    assertEquals(2, metrics.strip().split("\n").length);
    assertTrue(metrics.contains("\"knn_top1\""));
    assertTrue(metrics.contains("\"stats_batches\":16,") && metrics.contains("\"emb_view1_mean_std\":"), metrics);
    // The epoch line's rate and per-worker throughput; the run's report, built from that file at the end
    // (ReportWriterTest checks its content on a metrics file this test wrote: resources/report/metrics.jsonl).
    assertTrue(metrics.contains("\"lr\":0.001,") && metrics.contains("\"images_per_s_per_worker\":"), metrics);
    assertTrue(Files.isRegularFile(work.resolve("checkpoints/it/report/report.html")));

    assertEquals(40, store.readState(store.latest()).globalStep());
    // The same run id again: the run is finished, nothing is trained.
    Pretraining.Result again = new Pretraining(spark, settings).run();
    assertEquals(List.of(), again.epochs());
    // Settings that contradict the shards are refused at start, not after training.
    ConfigException k = assertThrows(ConfigException.class, () -> new Pretraining(spark, JobSettings.load(null,
        List.of("mixbt.run-id = k", "mixbt.data.shards = \"" + shards + "\"", "mixbt.knn.bank-limit = 2000",
            "mixbt.knn.k = 2001", "mixbt.checkpoint.root = \"" + work.resolve("checkpoints") + "\""))).run());
    assertEquals("Cannot use mixbt.knn.k = 2001: exceeds the memory bank of 2000 records (split train,"
        + " mixbt.knn.bank-limit = 2000)", k.getMessage());
    ConfigException split = assertThrows(ConfigException.class, () -> new Pretraining(spark, JobSettings.load(null,
        List.of("mixbt.run-id = s", "mixbt.data.shards = \"" + shards + "\"", "mixbt.data.train-split = nosuch",
            "mixbt.checkpoint.root = \"" + work.resolve("checkpoints") + "\""))).run());
    assertTrue(split.getMessage().startsWith("Cannot use mixbt.data.train-split = \"nosuch\": the shards in"),
        split.getMessage());
    ConfigException rgb = assertThrows(ConfigException.class, () -> new Pretraining(spark, JobSettings.load(null,
        List.of("mixbt.run-id = c", "mixbt.data.shards = \"" + shards + "\"", "mixbt.augmentation.pipeline = cifar",
            "mixbt.checkpoint.root = \"" + work.resolve("checkpoints") + "\""))).run());
    assertEquals("Cannot use the view recipe of mixbt.augmentation.pipeline: it takes 3-channel images, the shards in "
        + shards + " (fashion-mnist) hold 1-channel images", rgb.getMessage());
  }

  private static double meanLossBt(List<StepTerms> steps, int from, int to) {
    List<StepTerms> sorted = steps.stream().sorted((a, b) -> Long.compare(a.step(), b.step())).toList();
    return sorted.subList(from, to).stream().mapToDouble(StepTerms::lossBt).average().orElseThrow();
  }
}
