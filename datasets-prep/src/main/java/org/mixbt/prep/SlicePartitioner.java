package org.mixbt.prep;

import org.apache.spark.Partitioner;

/**
 * Sends shard position p of n records to slice i of {@code slices} equal contiguous slices, with the
 * boundaries {@code parallelize} uses ({@code floor(i·n/slices)}), so both writers cut the same way.
 */
final class SlicePartitioner extends Partitioner {
  private static final long serialVersionUID = 1L;
  private final long n;
  private final int slices;

  SlicePartitioner(long n, int slices) {
    this.n = n;
    this.slices = slices;
  }

  @Override
  public int numPartitions() {
    return slices;
  }

  /** The i with floor(i·n/s) ≤ p &lt; floor((i+1)·n/s), i.e. floor(((p+1)·s − 1)/n). */
  @Override
  public int getPartition(Object key) {
    long p = ((Number) key).longValue();
    return (int) (((p + 1) * slices - 1) / n);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SlicePartitioner s && s.n == n && s.slices == slices;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(n) * 31 + slices;
  }
}
