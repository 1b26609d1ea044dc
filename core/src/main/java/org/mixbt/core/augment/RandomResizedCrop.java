package org.mixbt.core.augment;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomResizedCrop}: sample a box with {@link #sampleBox}, then resize it with
 * {@link BilinearResize}.
 *
 * <p>The sampler follows {@code RandomResizedCrop.get_params} exactly: up to 10 tries of
 * {@code area = U(scaleMin, scaleMax) * H * W}, {@code aspect = exp(U(log ratioMin, log ratioMax))},
 * {@code w = round(sqrt(area * aspect))}, {@code h = round(sqrt(area / aspect))} with Python's
 * half-to-even {@code round}; a try is accepted if {@code 0 < w <= W} and {@code 0 < h <= H}, and then
 * {@code top = randint[0, H - h]}, {@code left = randint[0, W - w]} (both ends inclusive). If all tries
 * fail, the fallback is a centred box clamped to the ratio range ({@link #fallbackBox}); for a square image
 * and a range containing 1 that is the whole image. Only the distribution matches torchvision, not its
 * random stream, which no Java implementation can reproduce.
 */
public final class RandomResizedCrop implements Serializable {
  private static final long serialVersionUID = 1L;

  /** torchvision's number of tries before the fallback. */
  public static final int ATTEMPTS = 10;

  /** A crop box in pixel coordinates of the source image. */
  public record CropBox(int top, int left, int height, int width) {}

  private final int outputHeight;
  private final int outputWidth;
  private final double scaleMin;
  private final double scaleMax;
  private final double ratioMin;
  private final double ratioMax;

  /**
   * @param scaleMin smallest area fraction, in (0, scaleMax]
   * @param scaleMax largest area fraction
   * @param ratioMin smallest width/height ratio, in (0, ratioMax]
   * @param ratioMax largest width/height ratio
   */
  public RandomResizedCrop(int outputHeight, int outputWidth, double scaleMin, double scaleMax,
      double ratioMin, double ratioMax) {
    if (outputHeight <= 0 || outputWidth <= 0) {
      throw new IllegalArgumentException(
          "Cannot build RandomResizedCrop: output size must be positive: " + outputHeight + "x" + outputWidth);
    }
    if (!(scaleMin > 0 && scaleMin <= scaleMax)) {
      throw new IllegalArgumentException(
          "Cannot build RandomResizedCrop: need 0 < scaleMin <= scaleMax: (" + scaleMin + ", " + scaleMax + ")");
    }
    if (!(ratioMin > 0 && ratioMin <= ratioMax)) {
      throw new IllegalArgumentException(
          "Cannot build RandomResizedCrop: need 0 < ratioMin <= ratioMax: (" + ratioMin + ", " + ratioMax + ")");
    }
    this.outputHeight = outputHeight;
    this.outputWidth = outputWidth;
    this.scaleMin = scaleMin;
    this.scaleMax = scaleMax;
    this.ratioMin = ratioMin;
    this.ratioMax = ratioMax;
  }

  public int outputHeight() {
    return outputHeight;
  }

  public int outputWidth() {
    return outputWidth;
  }

  /**
   * Samples a crop box for a {@code height x width} image. Draw order per try: area fraction, log-ratio;
   * on acceptance: top, left. Nothing is drawn for the fallback.
   */
  public CropBox sampleBox(int height, int width, SplittableRandom rng) {
    double area = (double) height * width;
    double logRatioMin = Math.log(ratioMin);
    double logRatioMax = Math.log(ratioMax);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      double targetArea = area * uniform(rng, scaleMin, scaleMax);
      double aspect = Math.exp(uniform(rng, logRatioMin, logRatioMax));
      int w = pythonRound(Math.sqrt(targetArea * aspect));
      int h = pythonRound(Math.sqrt(targetArea / aspect));
      if (0 < w && w <= width && 0 < h && h <= height) {
        int top = rng.nextInt(height - h + 1);
        int left = rng.nextInt(width - w + 1);
        return new CropBox(top, left, h, w);
      }
    }
    return fallbackBox(height, width, ratioMin, ratioMax);
  }

  /**
   * torchvision's fallback: the largest centred box whose ratio is clamped to the range, i.e. the whole
   * image when its own ratio is inside the range. Offsets use floor division like Python's {@code //}.
   */
  public static CropBox fallbackBox(int height, int width, double ratioMin, double ratioMax) {
    double inRatio = (double) width / height;
    int w = width;
    int h = height;
    if (inRatio < ratioMin) {
      h = pythonRound(w / ratioMin);
    } else if (inRatio > ratioMax) {
      w = pythonRound(h * ratioMax);
    }
    return new CropBox((height - h) / 2, (width - w) / 2, h, w);
  }

  /**
   * Samples a box and writes the resized crop of the CHW image {@code src[srcOffset..]} to
   * {@code dst[dstOffset..]} ({@code channels x outputHeight x outputWidth}).
   *
   * @return the box used, for logging and tests
   */
  public CropBox apply(float[] src, int srcOffset, int channels, int height, int width, SplittableRandom rng,
      float[] dst, int dstOffset) {
    CropBox box = sampleBox(height, width, rng);
    BilinearResize.resize(src, srcOffset, channels, height, width, box.top(), box.left(), box.height(),
        box.width(), dst, dstOffset, outputHeight, outputWidth);
    return box;
  }

  /**
   * Python 3's {@code round(x)} for floats: nearest integer, ties to even ({@code round(2.5) == 2}). Java's
   * {@link Math#round} rounds ties up, which would shift crop sizes on exact halves.
   */
  static int pythonRound(double x) {
    return (int) Math.rint(x);
  }

  /** U(lo, hi); unlike {@code nextDouble(lo, hi)} it allows {@code lo == hi} (a fixed scale). */
  private static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
