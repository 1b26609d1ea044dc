package org.mixbt.core.augment;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.mixbt.core.augment.RandomResizedCrop.CropBox;
import org.mixbt.core.augment.RgbViewSettings.ViewOrder;

/**
 * An RGB training view with torchvision-on-PIL semantics: every step works on uint8 pixels as PIL does
 * (crop + resize {@link PilResize}, flip, {@link ColorJitter}, grayscale, {@link PilGaussianBlur}, solarize)
 * and only the last turns them into normalised float CHW.
 *
 * <p>A view is drawn ({@link #draw}) and then rendered ({@link #render}), so tests can render fixed
 * parameters against torchvision and check the draws' distribution separately. Draw order, one stream:
 * CROP_FIRST: crop box, flip, jitter gate [then the jitter draw], grayscale, blur gate [then sigma],
 * solarize; JITTER_FIRST: jitter gate [jitter draw], grayscale, crop box, flip, blur gate [sigma],
 * solarize. Each gate is one uniform u, taken when {@code u < p}, and is drawn even when p is 0 or 1.
 */
public final class RgbViewAugmenter implements ViewAugmenter, Serializable {
  private static final long serialVersionUID = 1L;

  /** One view's random choices. {@code jitter} is null when ColorJitter is not applied; sigma 0 = no blur. */
  public record Params(CropBox box, boolean flip, ColorJitter.Draw jitter, boolean grey, double blurSigma,
      boolean solarize) {}

  private final RgbViewSettings settings;
  private final RandomResizedCrop crop;
  private final ColorJitter jitter;
  private final float[][] tables;

  public RgbViewAugmenter(RgbViewSettings settings) {
    this.settings = settings;
    this.crop = new RandomResizedCrop(settings.cropSize(), settings.cropSize(), settings.scaleMin(),
        settings.scaleMax(), settings.ratioMin(), settings.ratioMax());
    this.jitter = new ColorJitter(settings.brightness(), settings.contrast(), settings.saturation(),
        settings.hue());
    this.tables = RgbOps.normalisationTables(settings.mean(), settings.std());
  }

  public RgbViewSettings settings() {
    return settings;
  }

  @Override
  public int inputChannels() {
    return 3;
  }

  @Override
  public int outputChannels() {
    return 3;
  }

  @Override
  public int outputHeight() {
    return settings.cropSize();
  }

  @Override
  public int outputWidth() {
    return settings.cropSize();
  }

  @Override
  public void augment(byte[] pixels, int height, int width, SplittableRandom rng, float[] out, int offset) {
    render(pixels, height, width, draw(height, width, rng), out, offset);
  }

  /** Draws one view's parameters for a {@code height x width} image. */
  public Params draw(int height, int width, SplittableRandom rng) {
    CropBox box = null;
    boolean flip = false;
    if (settings.order() == ViewOrder.CROP_FIRST) {
      box = crop.sampleBox(height, width, rng);
      flip = rng.nextDouble() < settings.flipProbability();
    }
    ColorJitter.Draw j = rng.nextDouble() < settings.jitterProbability() ? jitter.draw(rng) : null;
    boolean grey = rng.nextDouble() < settings.grayscaleProbability();
    if (settings.order() == ViewOrder.JITTER_FIRST) {
      box = crop.sampleBox(height, width, rng);
      flip = rng.nextDouble() < settings.flipProbability();
    }
    double sigma = 0;
    if (rng.nextDouble() < settings.blurProbability()) {
      sigma = ColorJitter.uniform(rng, settings.blurSigmaMin(), settings.blurSigmaMax());
    }
    boolean solarize = rng.nextDouble() < settings.solarizeProbability();
    return new Params(box, flip, j, grey, sigma, solarize);
  }

  /** Renders the view with parameters {@code p} into {@code out[offset .. offset + outputLength())}. */
  public void render(byte[] pixels, int height, int width, Params p, float[] out, int offset) {
    if (pixels.length != height * width * 3) {
      throw new IllegalArgumentException("Cannot augment image: expected " + height + "x" + width
          + "x3 = " + height * width * 3 + " bytes: " + pixels.length);
    }
    if (offset < 0 || offset + outputLength() > out.length) {
      throw new IllegalArgumentException("Cannot write view: " + outputLength() + " floats at offset "
          + offset + " do not fit an array of " + out.length);
    }
    int size = settings.cropSize();
    byte[] view = Scratch.bytes(4, size * size * 3);
    CropBox b = p.box();
    if (settings.order() == ViewOrder.JITTER_FIRST) {
      byte[] full = Scratch.bytes(3, pixels.length);
      System.arraycopy(pixels, 0, full, 0, pixels.length);
      colour(full, height * width, p);
      PilResize.resize(full, height, width, 3, b.top(), b.left(), b.height(), b.width(), size, size,
          settings.interpolation(), view);
      flip(view, size, p);
    } else {
      PilResize.resize(pixels, height, width, 3, b.top(), b.left(), b.height(), b.width(), size, size,
          settings.interpolation(), view);
      flip(view, size, p);
      colour(view, size * size, p);
    }
    if (p.blurSigma() > 0) {
      PilGaussianBlur.blur(view, size, size, p.blurSigma());
    }
    if (p.solarize()) {
      RgbOps.solarize(view, size * size);
    }
    RgbOps.toNormalisedChw(view, size, size, tables, out, offset);
  }

  private static void flip(byte[] view, int size, Params p) {
    if (p.flip()) {
      RgbOps.flipHorizontal(view, size, size);
    }
  }

  private void colour(byte[] rgb, int pixels, Params p) {
    if (p.jitter() != null) {
      jitter.apply(rgb, pixels, p.jitter());
    }
    if (p.grey()) {
      PilColour.greyscale(rgb, pixels);
    }
  }
}
