package org.mixbt.core.augment;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * The Fashion-MNIST training view: {@code /255} -> zero-pad -> RandomResizedCrop -> horizontal flip ->
 * (with probability p) brightness then contrast -> normalise -> repeat to {@code outputChannels}.
 *
 * <p>Random draws, in this fixed order, from the view's stream: the crop ({@link
 * RandomResizedCrop#sampleBox}), one uniform for the flip, one for the jitter gate, and only if the gate
 * opens the brightness factor then the contrast factor. The jitter order is fixed (brightness first),
 * unlike torchvision's ColorJitter, which shuffles it and adds saturation/hue; both are no-ops or
 * meaningless on one grey channel (see the reference recipe).
 *
 * <p>All work happens in channel 0 of the caller's output region; only the padded source needs a scratch
 * plane, kept per thread so that building a batch allocates nothing per view.
 */
public final class GreyscaleViewAugmenter implements ViewAugmenter, Serializable {
  private static final long serialVersionUID = 1L;
  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  private final GreyscaleViewSettings settings;
  private final RandomResizedCrop crop;

  public GreyscaleViewAugmenter(GreyscaleViewSettings settings) {
    this.settings = settings;
    this.crop = new RandomResizedCrop(settings.outputSize(), settings.outputSize(), settings.scaleMin(),
        settings.scaleMax(), settings.ratioMin(), settings.ratioMax());
  }

  public GreyscaleViewSettings settings() {
    return settings;
  }

  @Override
  public int inputChannels() {
    return 1;
  }

  @Override
  public int outputChannels() {
    return settings.outputChannels();
  }

  @Override
  public int outputHeight() {
    return settings.outputSize();
  }

  @Override
  public int outputWidth() {
    return settings.outputSize();
  }

  @Override
  public void augment(byte[] pixels, int height, int width, SplittableRandom rng, float[] out, int offset) {
    int size = settings.outputSize();
    int plane = size * size;
    if (offset < 0 || offset + outputLength() > out.length) {
      throw new IllegalArgumentException("Cannot write view: " + outputLength() + " floats at offset "
          + offset + " do not fit an array of " + out.length);
    }
    int paddedHeight = height + 2 * settings.pad();
    int paddedWidth = width + 2 * settings.pad();
    float[] padded = scratch(paddedHeight * paddedWidth);
    ImageOps.toUnitPadded(pixels, height, width, 1, settings.pad(), padded, 0);

    crop.apply(padded, 0, 1, paddedHeight, paddedWidth, rng, out, offset);
    if (rng.nextDouble() < settings.flipProbability()) {
      ImageOps.flipHorizontal(out, offset, 1, size, size);
    }
    if (rng.nextDouble() < settings.jitterProbability()) {
      float b = (float) uniform(rng, settings.brightnessMin(), settings.brightnessMax());
      float c = (float) uniform(rng, settings.contrastMin(), settings.contrastMax());
      ImageOps.adjustBrightness(out, offset, plane, b);
      ImageOps.adjustContrastGrey(out, offset, plane, c);
    }
    ImageOps.normalise(out, offset, plane, settings.mean(), settings.std());
    ImageOps.repeatPlane(out, offset, plane, settings.outputChannels());
  }

  private static float[] scratch(int length) {
    float[] a = SCRATCH.get();
    if (a.length < length) {
      a = new float[length];
      SCRATCH.set(a);
    }
    return a;
  }

  private static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
