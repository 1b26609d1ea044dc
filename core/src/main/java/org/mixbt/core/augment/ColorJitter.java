package org.mixbt.core.augment;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * torchvision's {@code ColorJitter(brightness, contrast, saturation, hue)} on PIL images: the four
 * adjustments in a uniformly random order ({@code torch.randperm(4)}), with factors
 * {@code U(max(0, 1 - s), 1 + s)} for brightness, contrast and saturation and {@code U(-hue, hue)} for
 * hue. A strength of 0 disables that adjustment (torchvision sets it to None): nothing is drawn for it and
 * it is skipped.
 *
 * <p>Draw order: the permutation (Fisher-Yates, 3 draws), then the brightness, contrast, saturation and hue
 * factors, each only if enabled.
 */
public final class ColorJitter implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Operation indices, as torchvision's {@code fn_idx}. */
  public static final int BRIGHTNESS = 0;
  public static final int CONTRAST = 1;
  public static final int SATURATION = 2;
  public static final int HUE = 3;

  /**
   * One draw: {@code order} is a permutation of 0..3; {@code factors[op]} the factor of each op (ignored
   * for disabled ops).
   */
  public record Draw(int[] order, double[] factors) {}

  private final double brightness;
  private final double contrast;
  private final double saturation;
  private final double hue;

  /** Strengths as torchvision's constructor takes them; hue in [0, 0.5]. */
  public ColorJitter(double brightness, double contrast, double saturation, double hue) {
    if (!(brightness >= 0 && contrast >= 0 && saturation >= 0) || !(hue >= 0 && hue <= 0.5)) {
      throw new IllegalArgumentException("Cannot build ColorJitter: need brightness, contrast, saturation >= 0"
          + " and hue in [0, 0.5]: " + brightness + ", " + contrast + ", " + saturation + ", " + hue);
    }
    this.brightness = brightness;
    this.contrast = contrast;
    this.saturation = saturation;
    this.hue = hue;
  }

  public Draw draw(SplittableRandom rng) {
    int[] order = {0, 1, 2, 3};
    for (int i = 3; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double[] f = {1, 1, 1, 0};
    if (brightness > 0) {
      f[BRIGHTNESS] = uniform(rng, Math.max(0, 1 - brightness), 1 + brightness);
    }
    if (contrast > 0) {
      f[CONTRAST] = uniform(rng, Math.max(0, 1 - contrast), 1 + contrast);
    }
    if (saturation > 0) {
      f[SATURATION] = uniform(rng, Math.max(0, 1 - saturation), 1 + saturation);
    }
    if (hue > 0) {
      f[HUE] = uniform(rng, -hue, hue);
    }
    return new Draw(order, f);
  }

  /** Applies the drawn adjustments in their order to the RGB HWC image of {@code pixels} pixels. */
  public void apply(byte[] rgb, int pixels, Draw d) {
    for (int op : d.order()) {
      double f = d.factors()[op];
      switch (op) {
        case BRIGHTNESS -> {
          if (brightness > 0) {
            PilColour.brightness(rgb, pixels, f);
          }
        }
        case CONTRAST -> {
          if (contrast > 0) {
            PilColour.contrast(rgb, pixels, f);
          }
        }
        case SATURATION -> {
          if (saturation > 0) {
            PilColour.saturation(rgb, pixels, f);
          }
        }
        default -> {
          if (hue > 0) {
            PilColour.hue(rgb, pixels, f);
          }
        }
      }
    }
  }

  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
