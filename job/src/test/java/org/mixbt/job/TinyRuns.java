package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mixbt.core.data.idx.IdxFixtures;
import org.mixbt.core.loss.StepTerms;
import org.mixbt.prep.PrepJob;

/**
 * Tiny runs for the resume tests: 48 random 28x28 "Fashion-MNIST" images prepped into shards, a width-4
 * network with d = 32, batch 8 (6 steps per epoch: averaging rounds of 4 and 2 batches), two workers
 * averaging every 2 steps, Adam with a step schedule (x0.1 from epoch 1), no kNN.
 */
final class TinyRuns {
  private TinyRuns() {
  }

  /** Writes IDX fixture files and preps them to {@code output} (a local path or hdfs:// URI). */
  static void prep(Path fixtures, String output) throws IOException {
    IdxFixtures.writeSplit(fixtures, "train", IdxFixtures.random(48, 28, 28, 10, 31), true);
    IdxFixtures.writeSplit(fixtures, "t10k", IdxFixtures.random(16, 28, 28, 10, 32), false);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int exit = PrepJob.run(new String[] {"idx", "--input", fixtures.toString(), "--output", output, "--dataset",
        "fashion-mnist", "--shards", "2", "--master", "local[2]"}, new PrintStream(log), new PrintStream(log));
    assertEquals(0, exit, log.toString());
  }

  /** The --set lines of a tiny run, then {@code more}. */
  static List<String> settings(String shards, String checkpoints, String runId, int epochs, String... more) {
    List<String> lines = new ArrayList<>(List.of("mixbt.run-id = " + runId, "mixbt.data.shards = \"" + shards + "\"",
        "mixbt.model.base-width = 4", "mixbt.model.feature-dim = 32", "mixbt.model.projector-hidden = [32]",
        "mixbt.training.epochs = " + epochs, "mixbt.training.batch-size = 8", "mixbt.spark.averaging-frequency = 2",
        "mixbt.spark.workers = 2", "mixbt.knn.enabled = false", "mixbt.checkpoint.root = \"" + checkpoints + "\"",
        // A rate that drops 10x at epoch 1: a resumed epoch trains at the dropped rate only if the updater
        // gets the run's global step after a restore.
        "mixbt.schedule.type = step", "mixbt.schedule.milestones = [1]", "mixbt.schedule.gamma = 0.1"));
    lines.addAll(List.of(more));
    return lines;
  }

  /** The --set arguments of {@link PretrainJob#run}. */
  static String[] args(List<String> settings) {
    List<String> args = new ArrayList<>();
    settings.forEach(s -> {
      args.add("--set");
      args.add(s);
    });
    return args.toArray(new String[0]);
  }

  record Job(int exit, String out, String err, double seconds) {
  }

  /**
   * Runs the job as {@code main} would; {@code out} holds what it printed to its output stream and to
   * System.out (the per-epoch lines and the resume decision go there).
   */
  static Job job(List<String> settings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream captured = new PrintStream(out, true, StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    int exit;
    System.setOut(captured);
    try {
      exit = PretrainJob.run(args(settings), captured, new PrintStream(err, true, StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
    }
    return new Job(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        (System.nanoTime() - t0) / 1e9);
  }

  /** Every step of the given epochs, in step order. */
  static List<StepTerms> steps(List<Pretraining.EpochSummary> epochs) {
    return epochs.stream().flatMap(e -> e.steps().stream()).sorted(Comparator.comparingLong(StepTerms::step)).toList();
  }

  /**
   * Asserts two runs' steps are the same steps with equal loss terms (relative tolerance {@code tol});
   * returns the largest relative difference seen.
   */
  static double assertSameSteps(List<StepTerms> expected, List<StepTerms> actual, double tol) {
    assertEquals(expected.stream().map(StepTerms::step).toList(), actual.stream().map(StepTerms::step).toList());
    double worst = 0;
    for (int i = 0; i < expected.size(); i++) {
      StepTerms a = expected.get(i);
      StepTerms b = actual.get(i);
      assertEquals(a.lossBt(), b.lossBt(), tol * Math.abs(a.lossBt()), "loss_bt of step " + a.step());
      assertEquals(a.lossMix(), b.lossMix(), tol * Math.abs(a.lossMix()) + 1e-9, "loss_mix of step " + a.step());
      worst = Math.max(worst, Math.abs(a.lossBt() - b.lossBt()) / Math.abs(a.lossBt()));
      worst = Math.max(worst, Math.abs(a.lossMix() - b.lossMix()) / Math.max(Math.abs(a.lossMix()), 1e-12));
    }
    return worst;
  }
}
