package org.mixbt.core.eval;

/**
 * Selects the k largest similarities of one row, ordered by similarity descending and then bank index
 * ascending. A bounded min-heap holds the current k best; its root is the worst of them.
 *
 * <p>Why a hand-written selection rather than libnd4j's {@code top_k}: the order of equal similarities
 * must be a documented rule (lowest bank index wins), and a full sort of 60 000 values per query is wasted
 * work when k = 200. Scanning the row in index order makes the tie rule free: a later element with a
 * similarity equal to the current worst has a larger index, so it can never displace it, and the strict
 * {@code >} test below is the whole rule. Most elements fail that single comparison, so the scan is
 * close to one pass over the row.
 *
 * <p>Not thread-safe: one instance per thread, reused across rows to avoid garbage.
 */
final class TopKSelector {
  private final int k;
  private final double[] heapSims;
  private final int[] heapIdx;
  private int size;

  TopKSelector(int k) {
    this.k = k;
    this.heapSims = new double[k];
    this.heapIdx = new int[k];
  }

  /** Selects from {@code row[0..length)} (float32 similarities). */
  void select(float[] row, int length, int[] outIdx, double[] outSims) {
    size = 0;
    for (int j = 0; j < length; j++) {
      float s = row[j];
      if (size < k) {
        push(s, j);
      } else if (s > heapSims[0]) {
        replaceRoot(s, j);
      }
    }
    drainSorted(outIdx, outSims);
  }

  /** Selects from {@code row[0..length)} (float64 similarities). */
  void select(double[] row, int length, int[] outIdx, double[] outSims) {
    size = 0;
    for (int j = 0; j < length; j++) {
      double s = row[j];
      if (size < k) {
        push(s, j);
      } else if (s > heapSims[0]) {
        replaceRoot(s, j);
      }
    }
    drainSorted(outIdx, outSims);
  }

  /** "Worse" = smaller similarity, or equal similarity and larger index: the root is the worst kept. */
  private boolean worse(int a, int b) {
    return heapSims[a] < heapSims[b] || (heapSims[a] == heapSims[b] && heapIdx[a] > heapIdx[b]);
  }

  private void push(double s, int j) {
    int i = size++;
    heapSims[i] = s;
    heapIdx[i] = j;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(i, parent)) {
        break;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void replaceRoot(double s, int j) {
    heapSims[0] = s;
    heapIdx[0] = j;
    siftDown(0);
  }

  private void siftDown(int i) {
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) {
        return;
      }
      int child = left + 1 < size && worse(left + 1, left) ? left + 1 : left;
      if (!worse(child, i)) {
        return;
      }
      swap(i, child);
      i = child;
    }
  }

  /** Pops the worst repeatedly, filling the output from the back, so the output is best-first. */
  private void drainSorted(int[] outIdx, double[] outSims) {
    for (int pos = size - 1; pos >= 0; pos--) {
      outIdx[pos] = heapIdx[0];
      outSims[pos] = heapSims[0];
      size--;
      if (size > 0) {
        heapSims[0] = heapSims[size];
        heapIdx[0] = heapIdx[size];
        siftDown(0);
      }
    }
  }

  private void swap(int a, int b) {
    double s = heapSims[a];
    heapSims[a] = heapSims[b];
    heapSims[b] = s;
    int t = heapIdx[a];
    heapIdx[a] = heapIdx[b];
    heapIdx[b] = t;
  }
}
