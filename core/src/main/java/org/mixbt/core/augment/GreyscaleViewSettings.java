package org.mixbt.core.augment;

/**
 * Settings of the greyscale (Fashion-MNIST) view recipe; the defaults are the reference run's values
 * ({@code /work/shared/golden/REFERENCE_RUN.md}, rows "input", "augmentation", "evaluation transform").
 *
 * @param pad zero pixels added on every side before cropping (28 -> 32)
 * @param outputSize height and width of the training view
 * @param scaleMin smallest crop area fraction
 * @param scaleMax largest crop area fraction
 * @param ratioMin smallest crop width/height ratio
 * @param ratioMax largest crop width/height ratio
 * @param flipProbability probability of a horizontal flip
 * @param jitterProbability probability of applying brightness then contrast
 * @param brightness jitter strength s: factor ~ U(max(0, 1 - s), 1 + s), as torchvision's ColorJitter
 * @param contrast jitter strength s, same convention
 * @param mean normalisation mean (of the unpadded training pixels)
 * @param std normalisation standard deviation
 * @param outputChannels channels of the view; the grey plane is repeated (3 keeps the RGB stem)
 */
public record GreyscaleViewSettings(int pad, int outputSize, double scaleMin, double scaleMax,
    double ratioMin, double ratioMax, double flipProbability, double jitterProbability,
    double brightness, double contrast, float mean, float std, int outputChannels)
    implements ViewRecipe {

  public GreyscaleViewSettings {
    require(pad >= 0, "pad must not be negative", pad);
    require(outputSize > 0, "output size must be positive", outputSize);
    require(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1,
        "need 0 < scaleMin <= scaleMax <= 1", "(" + scaleMin + ", " + scaleMax + ")");
    require(ratioMin > 0 && ratioMin <= ratioMax, "need 0 < ratioMin <= ratioMax",
        "(" + ratioMin + ", " + ratioMax + ")");
    require(isProbability(flipProbability), "flip probability must be in [0, 1]", flipProbability);
    require(isProbability(jitterProbability), "jitter probability must be in [0, 1]", jitterProbability);
    require(brightness >= 0, "brightness strength must not be negative", brightness);
    require(contrast >= 0, "contrast strength must not be negative", contrast);
    require(Float.isFinite(mean), "mean must be finite", mean);
    require(std > 0 && Float.isFinite(std), "std must be positive", std);
    require(outputChannels > 0, "output channels must be positive", outputChannels);
  }

  /** Both training views use the same recipe. */
  @Override
  public ViewAugmenter augmenter(int view) {
    ViewRecipe.checkView(view);
    return new GreyscaleViewAugmenter(this);
  }

  @Override
  public EvalView evalView() {
    return EvalTransform.of(this);
  }

  /** The reference run's recipe. */
  public static GreyscaleViewSettings fashionMnist() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Lower end of the brightness factor range. */
  public double brightnessMin() {
    return Math.max(0, 1 - brightness);
  }

  public double brightnessMax() {
    return 1 + brightness;
  }

  public double contrastMin() {
    return Math.max(0, 1 - contrast);
  }

  public double contrastMax() {
    return 1 + contrast;
  }

  private static boolean isProbability(double p) {
    return p >= 0 && p <= 1;
  }

  private static void require(boolean ok, String why, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("Cannot configure greyscale view: " + why + ": " + value);
    }
  }

  /** Builder starting from the reference recipe; every setter overrides one value. */
  public static final class Builder {
    private int pad = 2;
    private int outputSize = 32;
    private double scaleMin = 0.08;
    private double scaleMax = 1.0;
    private double ratioMin = 3.0 / 4.0;
    private double ratioMax = 4.0 / 3.0;
    private double flipProbability = 0.5;
    private double jitterProbability = 0.8;
    private double brightness = 0.4;
    private double contrast = 0.4;
    private float mean = 0.2860f;
    private float std = 0.3530f;
    private int outputChannels = 3;

    private Builder() {}

    public Builder pad(int v) {
      pad = v;
      return this;
    }

    public Builder outputSize(int v) {
      outputSize = v;
      return this;
    }

    public Builder scale(double min, double max) {
      scaleMin = min;
      scaleMax = max;
      return this;
    }

    public Builder ratio(double min, double max) {
      ratioMin = min;
      ratioMax = max;
      return this;
    }

    public Builder flipProbability(double v) {
      flipProbability = v;
      return this;
    }

    public Builder jitterProbability(double v) {
      jitterProbability = v;
      return this;
    }

    public Builder brightness(double v) {
      brightness = v;
      return this;
    }

    public Builder contrast(double v) {
      contrast = v;
      return this;
    }

    public Builder normalisation(float meanValue, float stdValue) {
      mean = meanValue;
      std = stdValue;
      return this;
    }

    public Builder outputChannels(int v) {
      outputChannels = v;
      return this;
    }

    public GreyscaleViewSettings build() {
      return new GreyscaleViewSettings(pad, outputSize, scaleMin, scaleMax, ratioMin, ratioMax,
          flipProbability, jitterProbability, brightness, contrast, mean, std, outputChannels);
    }
  }
}
