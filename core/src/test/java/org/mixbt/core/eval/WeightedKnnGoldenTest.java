package org.mixbt.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mixbt.core.testing.GoldenCase;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weighted kNN monitor against the golden {@code knn_*} cases (float64 oracle of {@code main.py test()}).
 *
 * <p>Where a file records both PyTorch-CPU behaviour and an oracle with stable ties ({@code
 * knn_sim_ties}: {@code pred_scores}, {@code pred_ranking_pytorch} and {@code acc*} come from
 * {@code torch.topk} on CPU, whose choice among equal similarities is not a stable rule), we match the
 * {@code *_oracle_stable_ties} fields, which use our rule: lowest bank index, then lowest class index.
 * {@code topk_indices} is always in oracle order (similarity descending, then bank index ascending).
 *
 * <p>The oracle used the given float32-normalised features as they are; we renormalise in float64, which
 * moves similarities by ~1e-7, hence the tolerances.
 */
class WeightedKnnGoldenTest {
  private static final double SIM_TOL = 1e-6;
  private static final double SCORE_REL_TOL = 1e-6;

  @ParameterizedTest
  @ValueSource(strings = {
      "knn_basic_M64_D8_C5_k10.json",
      "knn_k_equals_bank_M12_C3_k12.json",
      "knn_sim_ties_M8_C5_k3.json",
      "knn_zero_score_ties_M200_C10_k5.json"})
  void matchesOracleInFloat64(String file) {
    GoldenCase g = GoldenCase.load(file);
    WeightedKnn knn = monitor(g);
    Inputs in = inputs(g, DataType.DOUBLE);
    WeightedKnn.Details d = knn.details(in.bank, in.bankLabels, in.queries, in.queryLabels);
    int[] expectedNeighbours = g.ints("outputs/topk_indices");
    double[] expectedSims = g.array("outputs/topk_sims").data().asDouble();
    int k = (int) g.scalar("hyper/k");
    for (int q = 0; q < in.queryLabels.length; q++) {
      for (int j = 0; j < k; j++) {
        assertEquals(expectedNeighbours[q * k + j], d.neighbours()[q][j], file + " query " + q + " rank " + j);
        assertEquals(expectedSims[q * k + j], d.similarities()[q][j], SIM_TOL, file + " sim " + q + "," + j);
      }
    }
    assertScores(g.array(oracleField(g, "pred_scores")).data().asDouble(), d.classScores(), file);
    int[] expectedRanking = g.ints(oracleField(g, "pred_ranking"));
    int classes = (int) g.scalar("hyper/num_classes");
    for (int q = 0; q < in.queryLabels.length; q++) {
      int[] row = Arrays.copyOfRange(expectedRanking, q * classes, (q + 1) * classes);
      assertArrayEquals(row, d.rankings()[q], file + " ranking of query " + q);
    }
    assertAccuracies(g, knn.evaluate(in.bank, in.bankLabels, in.queries, in.queryLabels));
  }

  /** Features as the encoder gives them: float32 GEMM; same neighbours and predictions, looser scores. */
  @ParameterizedTest
  @ValueSource(strings = {
      "knn_basic_M64_D8_C5_k10.json",
      "knn_k_equals_bank_M12_C3_k12.json",
      "knn_sim_ties_M8_C5_k3.json",
      "knn_zero_score_ties_M200_C10_k5.json"})
  void matchesOracleInFloat32(String file) {
    GoldenCase g = GoldenCase.load(file);
    Inputs in = inputs(g, DataType.FLOAT);
    WeightedKnn.Details d = monitor(g).details(in.bank, in.bankLabels, in.queries, in.queryLabels);
    int k = (int) g.scalar("hyper/k");
    int[] expectedNeighbours = g.ints("outputs/topk_indices");
    double[] scores = g.array(oracleField(g, "pred_scores")).data().asDouble();
    int classes = (int) g.scalar("hyper/num_classes");
    for (int q = 0; q < in.queryLabels.length; q++) {
      assertArrayEquals(Arrays.copyOfRange(expectedNeighbours, q * k, (q + 1) * k),
          d.neighbours()[q], file + " query " + q);
      for (int c = 0; c < classes; c++) {
        assertEquals(scores[q * classes + c], d.classScores()[q][c], 1e-5 * (1 + scores[q * classes + c]));
      }
    }
    assertAccuracies(g, monitor(g).evaluate(in.bank, in.bankLabels, in.queries, in.queryLabels));
  }

  @Test
  void kLargerThanBankIsAClearError() {
    GoldenCase g = GoldenCase.load("knn_k_gt_bank_M12_C3_k13.json");
    Inputs in = inputs(g, DataType.DOUBLE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> monitor(g).evaluate(in.bank, in.bankLabels, in.queries, in.queryLabels));
    assertEquals("Cannot run kNN: k=13 exceeds the memory bank size 12", e.getMessage());
  }

  private static void assertAccuracies(GoldenCase g, KnnResult result) {
    assertEquals(g.scalar(oracleField(g, "acc1_percent")), result.top1Percent(), 1e-9, g.name());
    assertEquals(g.scalar(oracleField(g, "acc5_percent")), result.top5Percent(), 1e-9, g.name());
    int[] ranking = g.ints(oracleField(g, "pred_ranking"));
    int classes = (int) g.scalar("hyper/num_classes");
    int[] expectedTop1 = new int[result.queries()];
    for (int q = 0; q < expectedTop1.length; q++) {
      expectedTop1[q] = ranking[q * classes];
    }
    assertArrayEquals(expectedTop1, result.predictions(), g.name());
    // pred_top1 agrees with the oracle ranking's first column in every file, ties included.
    assertArrayEquals(g.ints("outputs/pred_top1"), result.predictions(), g.name());
  }

  private static void assertScores(double[] expected, double[][] actual, String file) {
    int classes = actual[0].length;
    for (int q = 0; q < actual.length; q++) {
      for (int c = 0; c < classes; c++) {
        double e = expected[q * classes + c];
        assertEquals(e, actual[q][c], SCORE_REL_TOL * Math.max(1.0, Math.abs(e)),
            file + " score of query " + q + " class " + c);
      }
    }
  }

  /** The stable-tie oracle variant of a field where the file offers one, else the field itself. */
  private static String oracleField(GoldenCase g, String field) {
    String stable = "outputs/" + field + "_oracle_stable_ties";
    return g.has(stable) ? stable : "outputs/" + field;
  }

  private static WeightedKnn monitor(GoldenCase g) {
    return new WeightedKnn((int) g.scalar("hyper/k"), g.scalar("hyper/temperature"),
        (int) g.scalar("hyper/num_classes"));
  }

  private static Inputs inputs(GoldenCase g, DataType type) {
    return new Inputs(g.array("inputs/bank_features", type), g.ints("inputs/bank_labels"),
        g.array("inputs/query_features", type), g.ints("inputs/query_labels"));
  }

  private record Inputs(INDArray bank, int[] bankLabels, INDArray queries, int[] queryLabels) {
  }
}
