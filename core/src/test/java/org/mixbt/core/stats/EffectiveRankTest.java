package org.mixbt.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Effective rank of known spectra. */
class EffectiveRankTest {

  @Test
  void identityHasFullRank() {
    int d = 16;
    double[] eye = new double[d * d];
    for (int i = 0; i < d; i++) {
      eye[i * d + i] = 2.5;
    }
    assertEquals(d, EffectiveRank.of(eye, d), 1e-9);
  }

  @Test
  void rankOneHasRankOne() {
    Random r = new Random(3);
    int d = 12;
    double[] v = new double[d];
    for (int i = 0; i < d; i++) {
      v[i] = r.nextGaussian();
    }
    double[] outer = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        outer[i * d + j] = v[i] * v[j];
      }
    }
    assertEquals(1, EffectiveRank.of(outer, d), 1e-6);
  }

  /** A rotated spectrum (Q·diag(λ)·Qᵀ, Q orthogonal) gives exp(entropy) of λ / Σλ, computed by hand. */
  @Test
  void rotatedSpectrumGivesExpEntropy() {
    double[] lambda = {4, 2, 1, 1, 0, 0};
    int d = lambda.length;
    INDArray q = orthogonal(d, 9);
    INDArray m = q.mmul(Nd4j.diag(Nd4j.createFromArray(lambda))).mmul(q.transpose());
    double total = 8;
    double h = 0;
    for (double l : lambda) {
      h -= l > 0 ? l / total * Math.log(l / total) : 0;
    }
    assertEquals(Math.exp(h), EffectiveRank.of(m.dup('c').reshape(d * d).toDoubleVector(), d), 1e-9);
    assertEquals(2, EffectiveRank.ofEigenvalues(new double[] {3, 3, 0, -1e-17}), 1e-12);
    assertTrue(Double.isNaN(EffectiveRank.ofEigenvalues(new double[] {0, 0})));
  }

  /** Gram-Schmidt on a seeded Gaussian matrix. */
  private static INDArray orthogonal(int d, long seed) {
    Random r = new Random(seed);
    double[][] a = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        a[i][j] = r.nextGaussian();
      }
      for (int k = 0; k < i; k++) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += a[i][j] * a[k][j];
        }
        for (int j = 0; j < d; j++) {
          a[i][j] -= dot * a[k][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += a[i][j] * a[i][j];
      }
      for (int j = 0; j < d; j++) {
        a[i][j] /= Math.sqrt(norm);
      }
    }
    return Nd4j.create(a).castTo(DataType.DOUBLE);
  }
}
