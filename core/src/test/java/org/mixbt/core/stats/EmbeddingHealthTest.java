package org.mixbt.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Cross-correlation figures on constructed views, and the collapse warnings. */
class EmbeddingHealthTest {
  private static final CollapseThresholds THRESHOLDS = new CollapseThresholds(1e-4, 0.25, 0.05, 0.1);

  @Test
  void identicalViewsCorrelatePerfectlyOnTheDiagonal() {
    Nd4j.getRandom().setSeed(1);
    INDArray z = Nd4j.randn(DataType.DOUBLE, 500, 6);
    CrossMoments auto = CrossMoments.of(z, z);
    EmbeddingHealth h = EmbeddingHealth.of(List.of(), CrossMoments.of(z, z), auto, auto);
    assertEquals(1, h.crossDiagonalMean(), 1e-12);
    // Independent Gaussian columns: off-diagonal correlations of order 1/sqrt(500).
    assertEquals(0, h.crossOffDiagonalRms(), 0.1);
  }

  @Test
  void aDeadDimensionCountsAsUncorrelated() {
    Nd4j.getRandom().setSeed(2);
    INDArray z = Nd4j.randn(DataType.DOUBLE, 100, 4);
    z.getColumn(3).assign(0.25);
    CrossMoments auto = CrossMoments.of(z, z);
    EmbeddingHealth h = EmbeddingHealth.of(List.of(), auto, auto, auto);
    assertEquals(0.75, h.crossDiagonalMean(), 1e-12);
  }

  @Test
  void collapseIsReported() {
    ViewHealth dead = new ViewHealth("view1", 256, 64, 0.1, 1e-6, 1e-7, 60, 1.2, 3.0);
    ViewHealth fine = new ViewHealth("view2", 256, 64, 0.01, 0.1, 0.05, 0, 40.0, 20.0);
    EmbeddingHealth h = new EmbeddingHealth(List.of(dead, fine), 0.02, 0.01);
    assertEquals(List.of("view1: 60 of 64 embedding dimensions have std < 0.00010 (min std 1.00e-07)",
        "view1: embedding effective rank 1.20 of d = 64 (256 samples)",
        "view1/view2 cross-correlation diagonal mean 0.020 is below 0.100: the views no longer agree"),
        h.warnings(THRESHOLDS));
    assertEquals(List.of(), new EmbeddingHealth(List.of(fine), 0.8, 0.01).warnings(THRESHOLDS));
  }
}
