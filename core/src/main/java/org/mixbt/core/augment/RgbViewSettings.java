package org.mixbt.core.augment;

import java.io.Serializable;

/**
 * One training view of an RGB dataset, as the original's torchvision {@code Compose} defines it.
 *
 * @param order where the crop sits relative to the colour steps (CIFAR and ImageNet crop first; STL-10 and
 *     Tiny-ImageNet jitter the full image first)
 * @param cropSize side of the square view (RandomResizedCrop's size)
 * @param scaleMin smallest crop area fraction
 * @param scaleMax largest crop area fraction
 * @param ratioMin smallest crop width/height ratio
 * @param ratioMax largest crop width/height ratio
 * @param interpolation PIL filter of the crop's resize
 * @param flipProbability horizontal flip
 * @param jitterProbability RandomApply around ColorJitter
 * @param brightness ColorJitter strength (0 = off)
 * @param contrast ColorJitter strength (0 = off)
 * @param saturation ColorJitter strength (0 = off)
 * @param hue ColorJitter strength in [0, 0.5] (0 = off)
 * @param grayscaleProbability RandomGrayscale
 * @param blurProbability PIL GaussianBlur (ImageNet: 1.0 for view 1, 0.1 for view 2)
 * @param blurSigmaMin smallest sigma, drawn uniformly
 * @param blurSigmaMax largest sigma
 * @param solarizeProbability PIL solarize (ImageNet: 0 for view 1, 0.2 for view 2)
 * @param mean Normalize mean
 * @param std Normalize std
 */
public record RgbViewSettings(ViewOrder order, int cropSize, double scaleMin, double scaleMax, double ratioMin,
    double ratioMax, PilFilter interpolation, double flipProbability, double jitterProbability,
    double brightness, double contrast, double saturation, double hue, double grayscaleProbability,
    double blurProbability, double blurSigmaMin, double blurSigmaMax, double solarizeProbability, Rgb mean,
    Rgb std) implements Serializable {

  /** Where RandomResizedCrop and the flip sit in the pipeline. */
  public enum ViewOrder {
    /** crop, flip, jitter, grayscale, blur, solarize (CIFAR, ImageNet). */
    CROP_FIRST,
    /** jitter, grayscale, crop, flip, blur, solarize (STL-10, Tiny-ImageNet). */
    JITTER_FIRST
  }

  private static final double RATIO_MIN = 3.0 / 4.0;
  private static final double RATIO_MAX = 4.0 / 3.0;

  public RgbViewSettings {
    require(order != null && interpolation != null && mean != null && std != null, "order, interpolation,"
        + " mean and std are required", order + ", " + interpolation + ", " + mean + ", " + std);
    require(cropSize > 0, "crop size must be positive", cropSize);
    require(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1, "need 0 < scaleMin <= scaleMax <= 1",
        "(" + scaleMin + ", " + scaleMax + ")");
    require(ratioMin > 0 && ratioMin <= ratioMax && Double.isFinite(ratioMax), "need 0 < ratioMin <= ratioMax",
        "(" + ratioMin + ", " + ratioMax + ")");
    for (double p : new double[] {flipProbability, jitterProbability, grayscaleProbability, blurProbability,
        solarizeProbability}) {
      require(p >= 0 && p <= 1, "probabilities must be in [0, 1]", p);
    }
    require(brightness >= 0 && contrast >= 0 && saturation >= 0 && Double.isFinite(brightness + contrast
        + saturation), "jitter strengths must be finite and >= 0", brightness + ", " + contrast + ", " + saturation);
    require(hue >= 0 && hue <= 0.5, "hue strength must be in [0, 0.5]", hue);
    require(blurSigmaMin >= 0 && blurSigmaMin <= blurSigmaMax && Double.isFinite(blurSigmaMax),
        "need 0 <= blur sigma min <= max", "(" + blurSigmaMin + ", " + blurSigmaMax + ")");
    for (int c = 0; c < 3; c++) {
      require(Float.isFinite(mean.get(c)), "mean must be finite", mean);
      require(std.get(c) > 0 && Float.isFinite(std.get(c)), "std must be positive", std);
    }
  }

  /** CIFAR-10/100 ({@code utils.CifarPairTransform}). */
  public static RgbViewSettings cifar() {
    return new RgbViewSettings(ViewOrder.CROP_FIRST, 32, 0.08, 1.0, RATIO_MIN, RATIO_MAX, PilFilter.BILINEAR,
        0.5, 0.8, 0.4, 0.4, 0.4, 0.1, 0.2, 0, 0.1, 2.0, 0, Rgb.of(0.4914, 0.4822, 0.4465),
        Rgb.of(0.2023, 0.1994, 0.2010));
  }

  /** Tiny-ImageNet ({@code utils.TinyImageNetPairTransform}). */
  public static RgbViewSettings tinyImageNet() {
    return new RgbViewSettings(ViewOrder.JITTER_FIRST, 64, 0.2, 1.0, 0.75, RATIO_MAX, PilFilter.BICUBIC,
        0.5, 0.8, 0.4, 0.4, 0.4, 0.1, 0.1, 0, 0.1, 2.0, 0, Rgb.of(0.480, 0.448, 0.398),
        Rgb.of(0.277, 0.269, 0.282));
  }

  /** STL-10 ({@code utils.StlPairTransform}): Tiny-ImageNet's recipe with STL's statistics. */
  public static RgbViewSettings stl10() {
    RgbViewSettings t = tinyImageNet();
    return new RgbViewSettings(t.order, t.cropSize, t.scaleMin, t.scaleMax, t.ratioMin, t.ratioMax,
        t.interpolation, t.flipProbability, t.jitterProbability, t.brightness, t.contrast, t.saturation, t.hue,
        t.grayscaleProbability, 0, 0.1, 2.0, 0, Rgb.of(0.43, 0.42, 0.39), Rgb.of(0.27, 0.26, 0.27));
  }

  /**
   * ImageNet ({@code main_imagenet.py}'s {@code Transform}): view 0 always blurs and never solarises,
   * view 1 blurs with probability 0.1 and solarises with 0.2.
   */
  public static RgbViewSettings imageNet(int view) {
    if (view != 0 && view != 1) {
      throw new IllegalArgumentException("Cannot make ImageNet view settings: view must be 0 or 1: " + view);
    }
    return new RgbViewSettings(ViewOrder.CROP_FIRST, 224, 0.08, 1.0, RATIO_MIN, RATIO_MAX, PilFilter.BICUBIC,
        0.5, 0.8, 0.4, 0.4, 0.2, 0.1, 0.2, view == 0 ? 1.0 : 0.1, 0.1, 2.0, view == 0 ? 0.0 : 0.2,
        Rgb.of(0.485, 0.456, 0.406), Rgb.of(0.229, 0.224, 0.225));
  }

  private static void require(boolean ok, String why, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("Cannot configure RGB view: " + why + ": " + value);
    }
  }
}
