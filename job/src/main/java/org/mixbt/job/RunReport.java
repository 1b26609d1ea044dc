package org.mixbt.job;

import org.mixbt.core.eval.KnnResult;

/** The closing lines of a run: kNN of the trained and the starting encoder, where the checkpoints are. */
final class RunReport {
  private RunReport() {
  }

  static void print(Pretraining.Result result, java.io.PrintStream out) {
    out.println();
    out.println("=== mixbt run finished ===");
    if (result.epochs().size() > 1) {
      Pretraining.EpochSummary first = result.epochs().get(0);
      Pretraining.EpochSummary last = result.epochs().get(result.epochs().size() - 1);
      // A resumed run's first epoch is the one after its checkpoint.
      out.printf("loss_bt epoch %d: %.3f  epoch %d: %.3f  (%.1f%% lower)%n", first.epoch(), first.lossBt(),
          last.epoch(), last.lossBt(), 100 * (1 - last.lossBt() / first.lossBt()));
    }
    String baseline = baselineName(result.initFrom());
    line(out, String.format("%-" + baseline.length() + "s", "trained encoder"), result.trained());
    line(out, baseline, result.untrained());
    out.println("checkpoints: " + result.checkpointDir());
  }

  /** How the encoder before training is called: untrained, or initial with the checkpoint it came from. */
  static String baselineName(String initFrom) {
    return initFrom == null ? "untrained encoder" : "initial encoder (" + initFrom + ")";
  }

  private static void line(java.io.PrintStream out, String what, KnnResult knn) {
    if (knn != null) {
      out.printf("%s kNN top-1 %.2f%%  top-5 %.2f%%  (%d test images)%n", what, knn.top1Percent(),
          knn.top5Percent(), knn.queries());
    }
  }
}
