package org.mixbt.job;

import org.mixbt.core.eval.KnnResult;

/** The closing lines of a run: kNN of the trained and the untrained encoder, where the checkpoints are. */
final class RunReport {
  private RunReport() {
  }

  static void print(Pretraining.Result result) {
    System.out.println();
    System.out.println("=== mixbt run finished ===");
    if (!result.epochs().isEmpty()) {
      Pretraining.EpochSummary first = result.epochs().get(0);
      Pretraining.EpochSummary last = result.epochs().get(result.epochs().size() - 1);
      System.out.printf("loss_bt epoch 1: %.3f  epoch %d: %.3f  (%.1f%% lower)%n", first.lossBt(), last.epoch(),
          last.lossBt(), 100 * (1 - last.lossBt() / first.lossBt()));
    }
    line("trained encoder  ", result.trained());
    line("untrained encoder", result.untrained());
    System.out.println("checkpoints: " + result.checkpointDir());
  }

  private static void line(String what, KnnResult knn) {
    if (knn != null) {
      System.out.printf("%s kNN top-1 %.2f%%  top-5 %.2f%%  (%d test images)%n", what, knn.top1Percent(),
          knn.top5Percent(), knn.queries());
    }
  }
}
