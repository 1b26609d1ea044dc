package org.mixbt.core.augment;

import java.io.Serializable;

/**
 * {@link RgbEvalSettings} applied with PIL semantics: torchvision's {@code Resize(int)} keeps the aspect
 * ratio (shorter side = resize, longer = {@code int(resize * long / short)}, no-op when already that size),
 * {@code CenterCrop} takes {@code top = round((h - crop) / 2)} with Python's half-to-even round.
 */
public final class RgbEvalTransform implements EvalView, Serializable {
  private static final long serialVersionUID = 1L;

  private final RgbEvalSettings settings;
  private final float[][] tables;

  public RgbEvalTransform(RgbEvalSettings settings) {
    this.settings = settings;
    this.tables = RgbOps.normalisationTables(settings.mean(), settings.std());
  }

  @Override
  public void apply(byte[] pixels, int height, int width, float[] out, int offset) {
    if (pixels.length != height * width * 3) {
      throw new IllegalArgumentException("Cannot make evaluation view: expected " + height + "x" + width
          + "x3 = " + height * width * 3 + " bytes: " + pixels.length);
    }
    byte[] img = pixels;
    int h = height;
    int w = width;
    if (settings.resize() > 0) {
      int[] size = resizedSize(h, w, settings.resize());
      if (size[0] != h || size[1] != w) {
        byte[] resized = Scratch.bytes(3, size[0] * size[1] * 3);
        PilResize.resize(img, h, w, 3, 0, 0, h, w, size[0], size[1], settings.interpolation(), resized);
        img = resized;
        h = size[0];
        w = size[1];
      }
    }
    int stride = w;
    int top = 0;
    int left = 0;
    int crop = settings.crop();
    if (crop > 0) {
      if (crop > h || crop > w) {
        throw new IllegalArgumentException("Cannot make evaluation view: image " + h + "x" + w
            + " (after resizing) is smaller than the centre crop " + crop);
      }
      top = (int) Math.rint((h - crop) / 2.0);
      left = (int) Math.rint((w - crop) / 2.0);
      h = crop;
      w = crop;
    }
    int size = settings.outputSize();
    if (h != size || w != size) {
      throw new IllegalArgumentException("Cannot make evaluation view: a " + height + "x" + width
          + " image gives " + h + "x" + w + ", the network takes " + size + "x" + size);
    }
    int plane = size * size;
    for (int c = 0; c < 3; c++) {
      float[] t = tables[c];
      int o = offset + c * plane;
      for (int y = 0; y < size; y++) {
        int in = ((top + y) * stride + left) * 3 + c;
        for (int x = 0; x < size; x++, in += 3) {
          out[o++] = t[img[in] & 0xff];
        }
      }
    }
  }

  /** torchvision's {@code _compute_resized_output_size} for an int size: [height, width]. */
  static int[] resizedSize(int height, int width, int shorter) {
    if (height <= width) {
      return new int[] {shorter, (int) ((long) shorter * width / height)};
    }
    return new int[] {(int) ((long) shorter * height / width), shorter};
  }
}
