package org.mixbt.core.train;

import java.util.SplittableRandom;
import org.mixbt.core.augment.ViewRandom;

/**
 * The per-step randomness of Mixed Barlow Twins: the mixing weight a ~ Beta(1, 1) (that is, U(0, 1)) and
 * a uniform random permutation p of the batch, drawn from a stream keyed by (seed, epoch, step) alone so
 * a step draws the same a and p on any executor.
 */
public record MixingDraw(double alpha, int[] permutation) {

  /** Domain tag ("mix-step") separating these streams from the augmentation streams of the same seed. */
  private static final long DOMAIN = 0x6d69782d73746570L;

  public static MixingDraw draw(long seed, int epoch, long step, int batchSize) {
    SplittableRandom rng = new SplittableRandom(ViewRandom.viewSeed(seed ^ DOMAIN, epoch, step, 0));
    double alpha = rng.nextDouble();
    int[] permutation = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      permutation[i] = i;
    }
    for (int i = batchSize - 1; i > 0; i--) {   // Fisher-Yates
      int j = rng.nextInt(i + 1);
      int t = permutation[i];
      permutation[i] = permutation[j];
      permutation[j] = t;
    }
    return new MixingDraw(alpha, permutation);
  }
}
