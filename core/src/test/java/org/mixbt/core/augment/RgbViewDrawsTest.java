package org.mixbt.core.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The random draws of the RGB views have the original's distributions. Sample sizes and bounds: with
 * n draws a probability p is estimated with standard error sqrt(p(1-p)/n); every bound is at least 6
 * standard errors wide (false failure rate below 1e-8) and far narrower than any plausible mistake (a swapped
 * probability, a missing gate). Chi-square bounds are at the 1e-6 upper quantile of their distribution.
 */
class RgbViewDrawsTest {
  private static final int N = 40_000;

  private static RgbViewAugmenter.Params[] draws(RgbViewSettings s, long seed) {
    RgbViewAugmenter aug = new RgbViewAugmenter(s);
    RgbViewAugmenter.Params[] out = new RgbViewAugmenter.Params[N];
    for (int i = 0; i < N; i++) {
      out[i] = aug.draw(96, 96, ViewRandom.forView(seed, 0, i, 0));
    }
    return out;
  }

  private static double fraction(RgbViewAugmenter.Params[] ps, java.util.function.Predicate<RgbViewAugmenter.Params> f) {
    int k = 0;
    for (RgbViewAugmenter.Params p : ps) {
      if (f.test(p)) {
        k++;
      }
    }
    return (double) k / ps.length;
  }

  private static void assertProbability(double expected, double actual, String what) {
    double se = Math.sqrt(Math.max(expected * (1 - expected), 1e-12) / N);
    assertEquals(expected, actual, Math.max(6 * se, 1e-12), what);
  }

  @Test
  void cifarGateProbabilities() {
    RgbViewAugmenter.Params[] ps = draws(RgbViewSettings.cifar(), 11);
    assertProbability(0.5, fraction(ps, RgbViewAugmenter.Params::flip), "flip");
    assertProbability(0.8, fraction(ps, p -> p.jitter() != null), "jitter");
    assertProbability(0.2, fraction(ps, RgbViewAugmenter.Params::grey), "grayscale");
    assertProbability(0.0, fraction(ps, p -> p.blurSigma() > 0), "blur");
    assertProbability(0.0, fraction(ps, RgbViewAugmenter.Params::solarize), "solarize");
  }

  @Test
  void tinyImageNetGreyscaleProbabilityIsOneTenth() {
    assertProbability(0.1, fraction(draws(RgbViewSettings.tinyImageNet(), 12), RgbViewAugmenter.Params::grey),
        "grayscale");
  }

  @Test
  void imageNetViewsAreAsymmetric() {
    RgbViewAugmenter.Params[] v1 = draws(RgbViewSettings.imageNet(0), 13);
    RgbViewAugmenter.Params[] v2 = draws(RgbViewSettings.imageNet(1), 13);
    assertProbability(1.0, fraction(v1, p -> p.blurSigma() > 0), "view 1 blur");
    assertProbability(0.0, fraction(v1, RgbViewAugmenter.Params::solarize), "view 1 solarize");
    assertProbability(0.1, fraction(v2, p -> p.blurSigma() > 0), "view 2 blur");
    assertProbability(0.2, fraction(v2, RgbViewAugmenter.Params::solarize), "view 2 solarize");
    assertProbability(0.2, fraction(v1, RgbViewAugmenter.Params::grey), "view 1 grayscale");
    assertUniform(v1, p -> p.blurSigma(), 0.1, 2.0, "blur sigma");
  }

  @Test
  void jitterFactorsAreUniformOnTheirRanges() {
    RgbViewAugmenter.Params[] ps = draws(RgbViewSettings.imageNet(0), 14);
    java.util.List<RgbViewAugmenter.Params> jittered = new java.util.ArrayList<>();
    for (RgbViewAugmenter.Params p : ps) {
      if (p.jitter() != null) {
        jittered.add(p);
      }
    }
    RgbViewAugmenter.Params[] j = jittered.toArray(new RgbViewAugmenter.Params[0]);
    assertUniform(j, p -> p.jitter().factors()[ColorJitter.BRIGHTNESS], 0.6, 1.4, "brightness");
    assertUniform(j, p -> p.jitter().factors()[ColorJitter.CONTRAST], 0.6, 1.4, "contrast");
    assertUniform(j, p -> p.jitter().factors()[ColorJitter.SATURATION], 0.8, 1.2, "saturation");
    assertUniform(j, p -> p.jitter().factors()[ColorJitter.HUE], -0.1, 0.1, "hue");
  }

  /** All 24 orders of the four adjustments are equally likely (torch.randperm(4)). */
  @Test
  void jitterOrdersAreUniformPermutations() {
    ColorJitter cj = new ColorJitter(0.4, 0.4, 0.4, 0.1);
    int[] counts = new int[256];
    SplittableRandom rng = new SplittableRandom(15);
    int n = 48_000;
    for (int i = 0; i < n; i++) {
      int[] o = cj.draw(rng).order();
      int[] sorted = o.clone();
      java.util.Arrays.sort(sorted);
      assertEquals("[0, 1, 2, 3]", java.util.Arrays.toString(sorted));
      counts[o[0] * 64 + o[1] * 16 + o[2] * 4 + o[3]]++;
    }
    int seen = 0;
    double chi2 = 0;
    double expected = n / 24.0;
    for (int c : counts) {
      if (c > 0) {
        seen++;
        chi2 += (c - expected) * (c - expected) / expected;
      }
    }
    assertEquals(24, seen);
    assertTrue(chi2 < 70.0, "chi-square over 24 orders (df 23, 1e-6 quantile ~70): " + chi2);
  }

  @Test
  void disabledAdjustmentsDrawNothing() {
    ColorJitter none = new ColorJitter(0, 0, 0, 0);
    SplittableRandom a = new SplittableRandom(3);
    none.draw(a);
    SplittableRandom b = new SplittableRandom(3);
    for (int i = 3; i > 0; i--) {
      b.nextInt(i + 1);
    }
    assertEquals(b.nextLong(), a.nextLong());
  }

  @Test
  void noJitterMeansNullDraw() {
    RgbViewSettings s = RgbViewSettings.cifar();
    RgbViewSettings off = new RgbViewSettings(s.order(), 32, 0.08, 1, 0.75, 4.0 / 3, s.interpolation(), 0, 0, 0.4,
        0.4, 0.4, 0.1, 0, 0, 0.1, 2, 0, s.mean(), s.std());
    RgbViewAugmenter.Params p = new RgbViewAugmenter(off).draw(32, 32, new SplittableRandom(1));
    assertNull(p.jitter());
    assertNotNull(p.box());
  }

  /** Ten-bin histogram: chi-square (df 9, 1e-6 quantile ~ 46) plus the range itself. */
  private static void assertUniform(RgbViewAugmenter.Params[] ps, ToDoubleFunction<RgbViewAugmenter.Params> f,
      double lo, double hi, String what) {
    int[] bins = new int[10];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (RgbViewAugmenter.Params p : ps) {
      double v = f.applyAsDouble(p);
      min = Math.min(min, v);
      max = Math.max(max, v);
      bins[Math.min(9, (int) ((v - lo) / (hi - lo) * 10))]++;
    }
    assertTrue(min >= lo && max < hi, what + " range [" + min + ", " + max + "]");
    // the extremes come close to the ends: a shrunken range would fail here
    assertTrue(min < lo + (hi - lo) * 0.002 && max > hi - (hi - lo) * 0.002, what + " covers its range: " + min
        + ", " + max);
    double e = ps.length / 10.0;
    double chi2 = 0;
    for (int b : bins) {
      chi2 += (b - e) * (b - e) / e;
    }
    assertTrue(chi2 < 46.0, what + " histogram chi-square " + chi2);
  }
}
