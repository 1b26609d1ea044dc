package org.mixbt.core.loss;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-step side information that travels with a training batch as its DL4J "labels": an [N, 4]
 * array whose row i holds (mixing weight a, permutation index p[i], global step, batch size N). DL4J never inspects
 * label shapes, and a label row moves with its example whenever Spark splits or merges batches, so the
 * loss can check that a batch is still exactly the one the step drew: one a, one step, and p a
 * permutation of 0..N−1, exactly N rows. Anything else means the views' pairing was broken, and the loss refuses it.
 */
public final class StepLabels {
  private static final int COLUMNS = 4;

  private final double alpha;
  private final int[] permutation;
  private final long step;

  public StepLabels(double alpha, int[] permutation, long step) {
    this.alpha = alpha;
    this.permutation = permutation.clone();
    this.step = step;
  }

  public double alpha() {
    return alpha;
  }

  public int[] permutation() {
    return permutation.clone();
  }

  public long step() {
    return step;
  }

  /** Encodes these labels as the [N, 4] float array a MultiDataSet carries (exact for N, step &lt; 2^24). */
  public INDArray toArray() {
    int n = permutation.length;
    float[] data = new float[n * COLUMNS];
    for (int i = 0; i < n; i++) {
      data[i * COLUMNS] = (float) alpha;
      data[i * COLUMNS + 1] = permutation[i];
      data[i * COLUMNS + 2] = step;
      data[i * COLUMNS + 3] = n;
    }
    return Nd4j.create(data, new long[] {n, COLUMNS}, DataType.FLOAT);
  }

  /** Decodes and validates labels; throws if the batch is not one intact step. */
  public static StepLabels fromArray(INDArray labels) {
    if (labels.rank() != 2 || labels.size(1) != COLUMNS) {
      throw new IllegalArgumentException("Cannot read step labels: expected [N, 4] (alpha, perm, step, N), got "
          + java.util.Arrays.toString(labels.shape()));
    }
    int n = (int) labels.size(0);
    double[][] rows = labels.castTo(DataType.DOUBLE).toDoubleMatrix();
    double alpha = rows[0][0];
    long step = (long) rows[0][2];
    for (int i = 0; i < n; i++) {
      if ((float) rows[i][0] != (float) alpha || (long) rows[i][2] != step) {
        throw new IllegalStateException("Cannot compute the mixed loss: view pairing broken: row " + i
            + " carries (alpha " + rows[i][0] + ", step " + (long) rows[i][2] + ") but row 0 carries (alpha "
            + alpha + ", step " + step + "); was the batch re-batched by Spark?");
      }
    }
    long drawn = (long) rows[0][3];
    if (drawn != n) {
      // A split keeps every row intact, so only the recorded batch size tells a half batch from a whole one.
      throw new IllegalStateException("Cannot compute the mixed loss: view pairing broken at step " + step
          + ": batch has " + n + " rows but the step drew " + drawn + "; was the batch re-batched by Spark?");
    }
    int[] permutation = new int[n];
    boolean[] seen = new boolean[n];
    for (int i = 0; i < n; i++) {
      int p = (int) rows[i][1];
      if (p < 0 || p >= n || seen[p]) {
        throw new IllegalStateException("Cannot compute the mixed loss: view pairing broken at step " + step
            + ": permutation entry " + p + " at row " + i + " is not a permutation of 0.." + (n - 1)
            + "; was the batch re-batched by Spark?");
      }
      seen[p] = true;
      permutation[i] = p;
    }
    return new StepLabels(alpha, permutation, step);
  }
}
