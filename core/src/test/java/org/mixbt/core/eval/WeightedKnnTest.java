package org.mixbt.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.mixbt.core.testing.GoldenCase;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Chunking invariance, normalisation, top-N with few classes, and input validation. */
class WeightedKnnTest {

  @Test
  void chunkSizeDoesNotChangeAnything() {
    GoldenCase g = GoldenCase.load("knn_basic_M64_D8_C5_k10.json");
    assertChunkInvariant(new WeightedKnn(10, 0.5, 5), g.array("inputs/bank_features"),
        g.ints("inputs/bank_labels"), g.array("inputs/query_features"), g.ints("inputs/query_labels"));
    // A float32 case where the chunk does not divide Q and the last chunk is a single row.
    SplittableRandom rnd = new SplittableRandom(11);
    INDArray bank = Nd4j.randn(DataType.FLOAT, 300, 16);
    INDArray queries = Nd4j.randn(DataType.FLOAT, 50, 16);
    assertChunkInvariant(new WeightedKnn(20, 0.5, 7), bank, labels(rnd, 300, 7), queries,
        labels(rnd, 50, 7));
  }

  private static void assertChunkInvariant(WeightedKnn knn, INDArray bank, int[] bankLabels,
      INDArray queries, int[] queryLabels) {
    int q = queryLabels.length;
    KnnResult all = knn.withChunkRows(q).evaluate(bank, bankLabels, queries, queryLabels);
    WeightedKnn.Details allDetails = knn.withChunkRows(q).details(bank, bankLabels, queries, queryLabels);
    for (int chunk : new int[] {1, 7, q + 3}) {
      WeightedKnn chunked = knn.withChunkRows(chunk);
      assertEquals(all, chunked.evaluate(bank, bankLabels, queries, queryLabels), "chunk " + chunk);
      WeightedKnn.Details d = chunked.details(bank, bankLabels, queries, queryLabels);
      for (int i = 0; i < q; i++) {
        assertArrayEquals(allDetails.neighbours()[i], d.neighbours()[i], "chunk " + chunk);
        // BLAS blocks a [chunk, D] x [D, M] product differently per chunk size, so a similarity may move
        // by an ulp; the neighbours and predictions above are exact, the scores agree to rounding.
        double tol = bank.dataType() == DataType.DOUBLE ? 1e-12 : 1e-5; // relative, a few ulps
        for (int c = 0; c < allDetails.classScores()[i].length; c++) {
          double e = allDetails.classScores()[i][c];
          assertEquals(e, d.classScores()[i][c], tol * Math.max(1, e), "chunk " + chunk);
        }
      }
    }
  }

  @Test
  void rawFeaturesAreNormalisedInside() {
    GoldenCase g = GoldenCase.load("knn_basic_M64_D8_C5_k10.json");
    INDArray bank = g.array("inputs/bank_features");
    INDArray queries = g.array("inputs/query_features");
    INDArray bankScale = Nd4j.rand(DataType.DOUBLE, 64, 1).addi(0.1).muli(10);
    INDArray queryScale = Nd4j.rand(DataType.DOUBLE, 12, 1).addi(0.1).muli(10);
    WeightedKnn knn = new WeightedKnn(10, 0.5, 5);
    WeightedKnn.Details unit = knn.details(bank, g.ints("inputs/bank_labels"), queries,
        g.ints("inputs/query_labels"));
    WeightedKnn.Details raw = knn.details(bank.mulColumnVector(bankScale), g.ints("inputs/bank_labels"),
        queries.mulColumnVector(queryScale), g.ints("inputs/query_labels"));
    for (int q = 0; q < 12; q++) {
      assertArrayEquals(unit.neighbours()[q], raw.neighbours()[q]);
      assertArrayEquals(unit.classScores()[q], raw.classScores()[q], 1e-9);
    }
    assertEquals(-0.4482508, bank.getDouble(0, 3), 1e-6, "the caller's array is not modified");
  }

  @Test
  void zeroFeatureVectorsHaveZeroSimilarityNotNaN() {
    INDArray bank = Nd4j.create(new double[][] {{0, 0}, {1, 0}, {0, 1}});
    INDArray queries = Nd4j.create(new double[][] {{0, 0}, {2, 0}});
    WeightedKnn.Details d = new WeightedKnn(2, 0.5, 3)
        .details(bank, new int[] {0, 1, 2}, queries, new int[] {0, 1});
    assertArrayEquals(new int[] {0, 1}, d.neighbours()[0], "all sims 0: lowest bank indices");
    assertArrayEquals(new double[] {0, 0}, d.similarities()[0]);
    assertArrayEquals(new int[] {1, 0}, d.neighbours()[1]);
    assertArrayEquals(new double[] {1, 0}, d.similarities()[1]);
  }

  @Test
  void topFiveMeansTopAllClassesWhenFewerThanFive() {
    GoldenCase g = GoldenCase.load("knn_k_equals_bank_M12_C3_k12.json");
    WeightedKnn knn = new WeightedKnn(12, 0.5, 3);
    assertEquals(3, knn.topN());
    assertEquals(5, new WeightedKnn(12, 0.5, 10).topN());
    KnnResult r = knn.evaluate(g.array("inputs/bank_features"), g.ints("inputs/bank_labels"),
        g.array("inputs/query_features"), g.ints("inputs/query_labels"));
    assertEquals(100.0, r.top5Percent());
    assertEquals(5, r.queries());
    assertFalse(r.toString().isEmpty());
  }

  @Test
  void rejectsBadSettings() {
    assertMessage("Cannot create kNN monitor: k must be at least 1: 0", () -> new WeightedKnn(0, 0.5, 10));
    assertMessage("Cannot create kNN monitor: temperature must be positive and finite: 0.0",
        () -> new WeightedKnn(200, 0.0, 10));
    assertMessage("Cannot create kNN monitor: temperature must be positive and finite: NaN",
        () -> new WeightedKnn(200, Double.NaN, 10));
    assertMessage("Cannot create kNN monitor: numClasses must be at least 1: 0",
        () -> new WeightedKnn(200, 0.5, 0));
    assertMessage("Cannot create kNN monitor: chunk rows must be at least 1: 0",
        () -> new WeightedKnn(200, 0.5, 10).withChunkRows(0));
  }

  @Test
  void rejectsBadInputs() {
    WeightedKnn knn = new WeightedKnn(2, 0.5, 3);
    INDArray bank = Nd4j.rand(DataType.FLOAT, 4, 3);
    INDArray queries = Nd4j.rand(DataType.FLOAT, 2, 3);
    int[] bankLabels = {0, 1, 2, 0};
    int[] queryLabels = {1, 2};
    assertMessage("Cannot run kNN: bank label 3 at index 2 is outside [0, 3)",
        () -> knn.evaluate(bank, new int[] {0, 1, 3, 0}, queries, queryLabels));
    assertMessage("Cannot run kNN: query label -1 at index 1 is outside [0, 3)",
        () -> knn.evaluate(bank, bankLabels, queries, new int[] {0, -1}));
    assertMessage("Cannot run kNN: bank features have 4 rows but 3 bank labels",
        () -> knn.evaluate(bank, new int[] {0, 1, 2}, queries, queryLabels));
    assertMessage("Cannot run kNN: query features have 2 rows but 3 query labels",
        () -> knn.evaluate(bank, bankLabels, queries, new int[] {0, 1, 2}));
    assertMessage("Cannot run kNN: feature dimensions differ: bank 3, queries 5",
        () -> knn.evaluate(bank, bankLabels, Nd4j.rand(DataType.FLOAT, 2, 5), queryLabels));
    assertMessage("Cannot run kNN: bank features must be a [rows, dim] matrix: shape [12]",
        () -> knn.evaluate(Nd4j.rand(DataType.FLOAT, 12), bankLabels, queries, queryLabels));
    assertMessage("Cannot run kNN: query features must be floating point: INT",
        () -> knn.evaluate(bank, bankLabels, queries.castTo(DataType.INT), queryLabels));
    assertMessage("Cannot run kNN: no queries",
        () -> knn.evaluate(bank, bankLabels, Nd4j.create(DataType.FLOAT, 0, 3), new int[0]));
    INDArray withNaN = bank.dup();
    withNaN.putScalar(1, 1, Double.NaN);
    assertMessage("Cannot run kNN: bank features contain NaN or infinite values",
        () -> knn.evaluate(withNaN, bankLabels, queries, queryLabels));
    assertMessage("Cannot run kNN: bank features, bank labels, query features and query labels are all"
        + " required", () -> knn.evaluate(bank, null, queries, queryLabels));
  }

  private static void assertMessage(String expected, Executable call) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
  }

  private static int[] labels(SplittableRandom rnd, int n, int classes) {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rnd.nextInt(classes);
    }
    return labels;
  }
}
