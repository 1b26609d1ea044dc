package org.mixbt.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Merged partial moments equal the one-shot moments of the pooled samples, computed by plain loops. */
class MomentsMergeTest {

  /** Random [n, c, h, w] floats with a large per-channel offset (where raw sums of squares lose digits). */
  private static float[] data(Random r, int n, int c, int hw) {
    float[] x = new float[n * c * hw];
    for (int i = 0; i < x.length; i++) {
      int channel = (i / hw) % c;
      x[i] = (float) (1000 * channel + (channel + 1) * r.nextGaussian());
    }
    return x;
  }

  @Test
  void mergedChannelMomentsEqualOneShotOnRandomData() {
    Random r = new Random(11);
    int n = 37;
    int c = 3;
    int h = 4;
    float[] flat = data(r, n, c, h * h);
    INDArray all = Nd4j.create(flat, new long[] {n, c, h, h}, DataType.FLOAT);
    // Uneven partials, merged in a tree of different shape than the split.
    int[] cuts = {0, 1, 9, 10, 30, 37};
    ChannelMoments[] parts = new ChannelMoments[cuts.length - 1];
    for (int p = 0; p < parts.length; p++) {
      parts[p] = ChannelMoments.of(all.get(NDArrayIndex.interval(cuts[p], cuts[p + 1])).dup());
    }
    ChannelMoments merged = parts[0].merge(parts[1]).merge(parts[2].merge(parts[3]).merge(parts[4]))
        .merge(ChannelMoments.empty(c));
    for (int ch = 0; ch < c; ch++) {
      double sum = 0;
      long m = 0;
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < h * h; k++) {
          sum += flat[(i * c + ch) * h * h + k];
          m++;
        }
      }
      double mean = sum / m;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < h * h; k++) {
          double d = flat[(i * c + ch) * h * h + k] - mean;
          squares += d * d;
        }
      }
      assertEquals(n * h * h, merged.count());
      assertEquals(mean, merged.mean()[ch], 1e-12 * Math.max(1, Math.abs(mean)));
      assertEquals(squares / (m - 1), merged.variance(true)[ch], 1e-9 * squares / m);
      assertEquals(squares / m, merged.variance(false)[ch], 1e-9 * squares / m);
    }
  }

  @Test
  void mergedCrossMomentsEqualOneShotCovariance() {
    Random r = new Random(5);
    int n = 50;
    int p = 4;
    int q = 3;
    double[][] x = new double[n][p];
    double[][] y = new double[n][q];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < p; j++) {
        x[i][j] = 5 + r.nextGaussian();
      }
      for (int j = 0; j < q; j++) {
        y[i][j] = x[i][j % p] * 0.5 - 3 + r.nextGaussian();
      }
    }
    INDArray xa = Nd4j.create(x);
    INDArray ya = Nd4j.create(y);
    CrossMoments merged = CrossMoments.empty(p, q);
    for (int[] part : new int[][] {{0, 7}, {7, 8}, {8, 31}, {31, 50}}) {
      INDArray xs = xa.get(NDArrayIndex.interval(part[0], part[1]), NDArrayIndex.all()).dup();
      INDArray ys = ya.get(NDArrayIndex.interval(part[0], part[1]), NDArrayIndex.all()).dup();
      merged = merged.merge(CrossMoments.of(xs, ys));
    }
    double[] cov = merged.covariance();
    for (int a = 0; a < p; a++) {
      for (int b = 0; b < q; b++) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
          mx += x[i][a] / n;
          my += y[i][b] / n;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += (x[i][a] - mx) * (y[i][b] - my);
        }
        assertEquals(s / (n - 1), cov[a * q + b], 1e-12);
        assertEquals(s, merged.comoment(a, b), 1e-11);
      }
    }
    assertEquals(n, merged.count());
  }

  @Test
  void mismatchedPartialsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ChannelMoments.empty(3).merge(ChannelMoments.empty(4)));
    assertEquals("Cannot merge channel moments: 3 channels and 4", e.getMessage());
    IllegalStateException one = assertThrows(IllegalStateException.class,
        () -> ChannelMoments.of(Nd4j.ones(DataType.FLOAT, 1, 2)).variance(true));
    assertEquals("Cannot take a variance of 1 samples", one.getMessage());
    IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
        () -> ChannelMoments.of(Nd4j.ones(DataType.FLOAT, 2, 2, 2)));
    assertEquals("Cannot take channel moments: expected [n, C] or [n, C, H, W], got [2, 2, 2]", rank.getMessage());
  }
}
