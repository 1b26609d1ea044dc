package org.mixbt.core.augment;

import java.util.SplittableRandom;

/**
 * Derives the random stream of one augmented view from (seed, epoch, recordId, viewIndex) alone.
 *
 * <p>Why: Spark may place a record on any executor, in any partition, in any order, and may re-run a task
 * after a failure. If each view's randomness depended on how many draws came before it on that executor,
 * the same run would give different views on 2 or 20 executors. Keying the stream by the view's identity
 * makes every view a pure function of the run seed and the record, so runs repeat exactly.
 *
 * <p>How: the four values are absorbed one at a time, {@code h = mix64(h ^ v)}, into a state that starts
 * from {@code mix64(seed ^ DOMAIN)}. {@code mix64} is the SplitMix64 finaliser (Stafford's variant 13, as
 * used by {@code SplittableRandom} itself): a bijection on 64 bits with full avalanche, so for a fixed
 * prefix different values always give different states, and neighbouring ids (record 7 vs 8, view 0 vs 1)
 * give unrelated states. {@code DOMAIN} separates these streams from anything else a caller might seed
 * with the same run seed (e.g. shuffles). The state then seeds a {@code SplittableRandom}; two such
 * streams overlap only if their seeds differ by a small multiple of its gamma, which for effectively random
 * 64-bit seeds is negligible.
 */
public final class ViewRandom {
  /** Domain tag ("aug-view" in ASCII) so augmentation streams differ from other streams of one seed. */
  private static final long DOMAIN = 0x6175672d76696577L;

  private ViewRandom() {}

  /**
   * The generator for view {@code viewIndex} of record {@code recordId} in epoch {@code epoch}.
   *
   * @param seed the run's augmentation seed
   * @param epoch 0-based epoch; must not be negative
   * @param recordId a stable id of the record (e.g. its global index in the shard set)
   * @param viewIndex 0-based view index (0 and 1 for the two Barlow Twins views); must not be negative
   */
  public static SplittableRandom forView(long seed, int epoch, long recordId, int viewIndex) {
    return new SplittableRandom(viewSeed(seed, epoch, recordId, viewIndex));
  }

  /** The 64-bit seed {@link #forView} uses; exposed so tests and logs can show it. */
  public static long viewSeed(long seed, int epoch, long recordId, int viewIndex) {
    if (epoch < 0) {
      throw new IllegalArgumentException("Cannot derive view seed: epoch is negative: " + epoch);
    }
    if (viewIndex < 0) {
      throw new IllegalArgumentException("Cannot derive view seed: view index is negative: " + viewIndex);
    }
    long h = mix64(seed ^ DOMAIN);
    h = mix64(h ^ epoch);
    h = mix64(h ^ recordId);
    return mix64(h ^ viewIndex);
  }

  /** SplitMix64 finaliser (David Stafford's Mix13); a bijection on longs. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
