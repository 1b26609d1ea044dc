package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.checkpoint.CheckpointStore;
import org.mixbt.core.checkpoint.TrainingState;
import org.mixbt.core.loss.StepTerms;

/**
 * Auto-resume on local[2] with real DL4J parameter averaging: a run trained 1 epoch and then extended to 2,
 * and a run whose epoch-2 checkpoint was lost rerun unchanged, equal step for step and in their final
 * weights (and updater state) the same run trained 2 epochs without a break; a finished run's rerun does nothing; a changed setting is refused naming the key; a
 * corrupt checkpoint is a data error naming the file.
 */
class ResumeIT {
  @TempDir
  static Path work;
  static String shards;
  static String checkpoints;

  @BeforeAll
  static void prep() throws IOException {
    shards = work.resolve("shards").toString();
    checkpoints = work.resolve("checkpoints").toString();
    TinyRuns.prep(work.resolve("idx"), shards);
  }

  /** The session of these tests; PretrainJob.run stops it when it ends, so each use gets the current one. */
  private static SparkSession spark() {
    return SparkSessions.start("ResumeIT", "local[2]", 0, 2);
  }

  private static Pretraining.Result train(String runId, int epochs, String... more) throws IOException {
    return new Pretraining(spark(), JobSettings.load(null, TinyRuns.settings(shards, checkpoints, runId, epochs, more)))
        .run();
  }

  @Test
  void resumedRunEqualsTheUninterruptedOneAndAFinishedRunIsNotRetrained() throws IOException {
    Pretraining.Result whole = train("whole", 2);
    Pretraining.Result first = train("split", 1);
    // The same command with more epochs: mixbt.training.epochs is not result-relevant for a constant rate.
    Pretraining.Result rest = train("split", 2);

    assertEquals(List.of(1), first.epochs().stream().map(Pretraining.EpochSummary::epoch).toList());
    assertEquals(List.of(2), rest.epochs().stream().map(Pretraining.EpochSummary::epoch).toList());
    List<StepTerms> uninterrupted = TinyRuns.steps(whole.epochs());
    assertEquals(12, uninterrupted.size());
    double worst = Math.max(TinyRuns.assertSameSteps(uninterrupted.subList(0, 6), TinyRuns.steps(first.epochs()), 1e-5),
        TinyRuns.assertSameSteps(uninterrupted.subList(6, 12), TinyRuns.steps(rest.epochs()), 1e-5));
    System.err.println("ResumeIT: largest relative loss difference resumed vs uninterrupted: " + worst
        + "; largest weight difference: " + whole.network().params().sub(rest.network().params()).amaxNumber());
    // The comparison has teeth: training moved the loss between the epochs.
    assertTrue(Math.abs(uninterrupted.get(0).lossBt() - uninterrupted.get(11).lossBt()) > 1e-3);
    assertArrayEquals(whole.network().params().toFloatVector(), rest.network().params().toFloatVector(), 1e-5f);
    assertArrayEquals(whole.network().getUpdater().getStateViewArray().toFloatVector(),
        rest.network().getUpdater().getStateViewArray().toFloatVector(), 1e-5f);

    CheckpointStore split = CheckpointStore.open(checkpoints, "split", 2, new Configuration());
    Path runDir = Path.of(split.runDir().toUri());
    assertEquals("epoch-0002\n", Files.readString(runDir.resolve(CheckpointStore.LATEST)));
    TrainingState state = split.readState(split.latest());
    assertEquals(2, state.epoch());
    assertEquals(12, state.globalStep());
    assertEquals(6, state.stepsPerEpoch());
    // Both epochs' metrics lines, the first carried over from the checkpoint resumed from.
    assertEquals(2, split.readMetrics(split.latest()).size());
    assertEquals(ResumeConfig.sha256(Files.readString(runDir.resolve("epoch-0001").resolve(CheckpointStore.CONFIG))),
        state.configSha256());

    // A crash during epoch 2 of the unchanged command (its folder gone, LATEST left naming it), then the same
    // command again: resumes from epoch 1 and ends where the uninterrupted run ended.
    Path wholeDir = Path.of(CheckpointStore.open(checkpoints, "whole", 2, new Configuration()).runDir().toUri());
    deleteTree(wholeDir.resolve("epoch-0002"));
    assertEquals("epoch-0002\n", Files.readString(wholeDir.resolve(CheckpointStore.LATEST)));
    Pretraining.Result rerun = train("whole", 2);
    assertEquals(List.of(2), rerun.epochs().stream().map(Pretraining.EpochSummary::epoch).toList());
    TinyRuns.assertSameSteps(uninterrupted.subList(6, 12), TinyRuns.steps(rerun.epochs()), 1e-5);
    assertArrayEquals(whole.network().params().toFloatVector(), rerun.network().params().toFloatVector(), 1e-5f);

    // Rerun once finished: exit 0 at once, nothing trained or rewritten (monitor and keep settings may differ).
    long modelTime = Files.getLastModifiedTime(runDir.resolve("epoch-0002").resolve(CheckpointStore.MODEL)).toMillis();
    TinyRuns.Job again = TinyRuns.job(TinyRuns.settings(shards, checkpoints, "split", 2, "mixbt.knn.enabled = true",
        "mixbt.checkpoint.keep = 5", "mixbt.spark.threads = 1"));
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("Run split is finished: " + split.latest() + " holds epoch 2 of"
        + " mixbt.training.epochs = 2; nothing to train"), again.out());
    assertFalse(again.out().contains("epoch 2 done"), again.out());
    assertTrue(again.seconds() < 20, again.seconds() + " s");
    System.err.println("ResumeIT: rerun of the finished run took " + again.seconds() + " s");
    assertEquals(modelTime,
        Files.getLastModifiedTime(runDir.resolve("epoch-0002").resolve(CheckpointStore.MODEL)).toMillis());
    assertEquals(List.of("LATEST", "epoch-0001", "epoch-0002"), visible(runDir));
  }

  /**
   * Writes epoch {@code epoch} of run {@code runId} as a run with these settings would, without training
   * (the refusals below happen before any data is read or weights loaded).
   */
  private static CheckpointStore checkpoint(String runId, int epoch, String... more) {
    return checkpoint(runId, epoch, 6, 2, more);
  }

  private static CheckpointStore checkpoint(String runId, int epoch, int steps, int workers, String... more) {
    JobSettings s = JobSettings.load(null, TinyRuns.settings(shards, checkpoints, runId, epoch, more));
    ComputationGraph net = org.mixbt.core.model.MixedBarlowTwinsNetwork.training(s.network,
        s.optimizer.spec(6, s.epochs, 16, s.seed), s.lossFunction(6));
    CheckpointStore store = CheckpointStore.open(checkpoints, runId, 2, new Configuration());
    store.write(net, new TrainingState(epoch, (long) epoch * steps, steps, s.epochs, workers, s.seed, 0, ResumeConfig.sha256(s.render()),
        "{\"epoch\":" + epoch + "}"), s.render(), List.of("{\"epoch\":" + epoch + "}"));
    return store;
  }

  @Test
  void changedResultRelevantSettingsAreRefusedNamingEachKey() {
    String runDir = checkpoint("strict", 1).runDir().toString();

    TinyRuns.Job changed = TinyRuns.job(TinyRuns.settings(shards, checkpoints, "strict", 2, "mixbt.loss.lambda = 0.01",
        "mixbt.spark.averaging-frequency = 4"));

    assertEquals(2, changed.exit(), changed.err());
    assertEquals("Error: Cannot resume run strict from " + runDir + "/epoch-0001: the configuration differs from the"
        + " checkpoint's in mixbt.loss.lambda (checkpoint 0.0078125, now 0.01), mixbt.spark.averaging-frequency"
        + " (checkpoint 2, now 4); rerun with the settings of " + runDir + "/epoch-0001/config.conf or set another"
        + " mixbt.run-id\n", changed.err());
    // With a cosine schedule the total epochs shape every step's rate: extending is a change too.
    checkpoint("cosine", 2, "mixbt.schedule.type = cosine-warmup", "mixbt.schedule.warmup-epochs = 1");
    TinyRuns.Job longer = TinyRuns.job(TinyRuns.settings(shards, checkpoints, "cosine", 3,
        "mixbt.schedule.type = cosine-warmup", "mixbt.schedule.warmup-epochs = 1"));
    assertEquals(2, longer.exit(), longer.err());
    assertTrue(longer.err().contains("mixbt.training.epochs (checkpoint 2, now 3)"), longer.err());
  }

  @Test
  void aCheckpointOfOtherDataOrAnotherWorkerCountIsRefused() {
    String runDir = checkpoint("fewer", 1, 5, 2).runDir().toString();
    TinyRuns.Job data = TinyRuns.job(TinyRuns.settings(shards, checkpoints, "fewer", 2));
    assertEquals(2, data.exit(), data.err());
    assertEquals("Error: Cannot resume run fewer from " + runDir + "/epoch-0001: it trained 5 steps per epoch, the"
        + " data now gives 6 (48 records): the shards changed\n", data.err());

    // mixbt.spark.workers = 0 (Spark's default parallelism, 2 on local[2]) matches in the settings, not in fact.
    runDir = checkpoint("parallel", 1, 6, 3, "mixbt.spark.workers = 0").runDir().toString();
    TinyRuns.Job workers = TinyRuns.job(TinyRuns.settings(shards, checkpoints, "parallel", 2, "mixbt.spark.workers = 0"));
    assertEquals(2, workers.exit(), workers.err());
    assertEquals("Error: Cannot resume run parallel from " + runDir + "/epoch-0001: it trained with 3"
        + " parameter-averaging workers, now 2 (mixbt.spark.workers = 0 takes Spark's default parallelism; set"
        + " mixbt.spark.workers = 3)\n", workers.err());
  }

  @Test
  void corruptCheckpointIsADataErrorNamingTheFile() throws IOException {
    Path broken = Path.of(checkpoint("broken", 1).runDir().toUri());
    Path state = broken.resolve("epoch-0001").resolve(CheckpointStore.STATE);
    Files.writeString(state, "{ \"format\": 1, \"epoch\": 1 ");
    Files.delete(state.resolveSibling(".state.json.crc"));

    TinyRuns.Job job = TinyRuns.job(TinyRuns.settings(shards, checkpoints, "broken", 2));

    assertEquals(3, job.exit(), job.err());
    assertTrue(job.err().startsWith("Error: Cannot read checkpoint state file:" + state + ": not JSON"), job.err());
    assertTrue(job.err().strip().endsWith("(to resume from the checkpoint before it, remove file:"
        + broken.resolve("epoch-0001") + ")"), job.err());
    assertFalse(job.err().contains("\tat "), job.err());
    // A folder of epoch folders none of which is complete is refused too (it is not a fresh run).
    Files.delete(broken.resolve("epoch-0001").resolve(CheckpointStore.MODEL));
    TinyRuns.Job incomplete = TinyRuns.job(TinyRuns.settings(shards, checkpoints, "broken", 2));
    assertEquals(3, incomplete.exit(), incomplete.err());
    assertTrue(incomplete.err().startsWith("Error: Cannot resume run broken: file:" + broken + " holds epoch folders"
        + " but none is complete"), incomplete.err());
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.deleteIfExists(dir.resolveSibling("." + dir.getFileName() + ".crc"));
  }

  /** The checkpoint entries of a run folder (LATEST and epoch folders; not .crc files or a report). */
  private static List<String> visible(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.equals(CheckpointStore.LATEST) || n.startsWith("epoch-")).sorted().toList();
    }
  }
}
