package org.mixbt.core.loss;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument validation for {@link MixedBarlowTwinsLoss}: programming errors, not degenerate data. */
final class InputChecks {
  private InputChecks() {}

  /** out1, out2 (and outM unless null) are [N, d] matrices of one floating-point type, d >= 1. */
  static void sameMatrixShape(INDArray out1, INDArray out2, INDArray outM) {
    Objects.requireNonNull(out1, "out1");
    Objects.requireNonNull(out2, "out2");
    if (out1.rank() != 2 || out1.columns() < 1) {
      throw new IllegalArgumentException(
          "Cannot compute loss: out1 must be an [N, d] matrix with d >= 1: " + Arrays.toString(out1.shape()));
    }
    if (!out1.dataType().isFPType()) {
      throw new IllegalArgumentException("Cannot compute loss: inputs must be floating point: " + out1.dataType());
    }
    sameAs(out1, out2, "out2");
    if (outM != null) {
      sameAs(out1, outM, "outM");
    }
  }

  private static void sameAs(INDArray out1, INDArray other, String name) {
    if (!Arrays.equals(out1.shape(), other.shape())) {
      throw new IllegalArgumentException("Cannot compute loss: " + name + " shape differs from out1: "
          + Arrays.toString(other.shape()) + " vs " + Arrays.toString(out1.shape()));
    }
    if (other.dataType() != out1.dataType()) {
      throw new IllegalArgumentException("Cannot compute loss: " + name + " data type differs from out1: "
          + other.dataType() + " vs " + out1.dataType());
    }
  }

  /** alpha is in [0, 1]; perm is a permutation of 0..n-1. */
  static void alphaAndPermutation(double alpha, int[] perm, long n) {
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new IllegalArgumentException("Cannot compute mixed loss: alpha must be in [0, 1]: " + alpha);
    }
    Objects.requireNonNull(perm, "perm");
    if (perm.length != n) {
      throw new IllegalArgumentException(
          "Cannot compute mixed loss: perm length must equal N=" + n + ": " + perm.length);
    }
    boolean[] seen = new boolean[perm.length];
    for (int i = 0; i < perm.length; i++) {
      int p = perm[i];
      if (p < 0 || p >= n || seen[p]) {
        throw new IllegalArgumentException("Cannot compute mixed loss: perm is not a permutation of 0.."
            + (n - 1) + ": entry " + i + " is " + p);
      }
      seen[p] = true;
    }
  }
}
