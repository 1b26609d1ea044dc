package org.mixbt.core.augment;

/**
 * The colour operations of torchvision's ColorJitter and RandomGrayscale on PIL RGB images, in place on
 * uint8 HWC pixels, reproducing Pillow 9's integer and float steps so results are byte-identical:
 *
 * <ul>
 *   <li>{@code ImageEnhance} blends the image with a "degenerate" image, {@code Image.blend(degenerate,
 *       image, factor)}: per byte {@code d + factor * (x - d)} in C float (factor is passed as a float),
 *       truncated to uint8 when {@code factor} is in [0, 1], else clamped to [0, 255] then truncated.
 *       Brightness: d = 0. Contrast: d = the rounded mean of the image's L conversion, one value for all
 *       pixels. Saturation (ImageEnhance.Color): d = each pixel's own L value.
 *   <li>L conversion: {@code (19595 R + 38470 G + 7471 B + 0x8000) >> 16} (ITU-R 601-2 weights in 16-bit
 *       fixed point).
 *   <li>Hue: RGB to Pillow's uint8 HSV, {@code h += uint8(factor * 255)} modulo 256 (numpy's cast truncates
 *       toward zero and wraps, so -0.1 gives 231), back to RGB.
 * </ul>
 */
public final class PilColour {
  private PilColour() {}

  /** {@code ImageEnhance.Brightness(img).enhance(factor)}. */
  public static void brightness(byte[] rgb, int pixels, double factor) {
    float a = (float) factor;
    for (int i = 0; i < 3 * pixels; i++) {
      rgb[i] = blend(0, rgb[i] & 0xff, a);
    }
  }

  /** {@code ImageEnhance.Contrast(img).enhance(factor)}. */
  public static void contrast(byte[] rgb, int pixels, double factor) {
    long sum = 0;
    for (int p = 0; p < pixels; p++) {
      sum += luma(rgb, 3 * p);
    }
    // ImageStat's mean (sum / count, both exact in double), then int(mean + 0.5)
    int mean = (int) ((double) sum / pixels + 0.5);
    float a = (float) factor;
    for (int i = 0; i < 3 * pixels; i++) {
      rgb[i] = blend(mean, rgb[i] & 0xff, a);
    }
  }

  /** {@code ImageEnhance.Color(img).enhance(factor)}: blends each pixel with its own grey value. */
  public static void saturation(byte[] rgb, int pixels, double factor) {
    float a = (float) factor;
    for (int p = 0, i = 0; p < pixels; p++, i += 3) {
      int l = luma(rgb, i);
      rgb[i] = blend(l, rgb[i] & 0xff, a);
      rgb[i + 1] = blend(l, rgb[i + 1] & 0xff, a);
      rgb[i + 2] = blend(l, rgb[i + 2] & 0xff, a);
    }
  }

  /** torchvision's {@code F_pil.adjust_hue}: rotate Pillow's uint8 hue by {@code uint8(factor * 255)}. */
  public static void hue(byte[] rgb, int pixels, double factor) {
    if (!(factor >= -0.5 && factor <= 0.5)) {
      throw new IllegalArgumentException("Cannot adjust hue: factor must be in [-0.5, 0.5]: " + factor);
    }
    int shift = ((int) (factor * 255)) & 0xff;
    for (int i = 0; i < 3 * pixels; i += 3) {
      int r = rgb[i] & 0xff;
      int g = rgb[i + 1] & 0xff;
      int b = rgb[i + 2] & 0xff;
      int max = Math.max(r, Math.max(g, b));
      int min = Math.min(r, Math.min(g, b));
      if (max == min) {
        continue; // saturation 0: Pillow's HSV round trip returns (v, v, v), i.e. the pixel itself
      }
      int h = (PilHsv.hue(r, g, b, max, min) + shift) & 0xff;
      PilHsv.toRgb(h, PilHsv.saturation(max, min), max, rgb, i);
    }
  }

  /** {@code convert("L")} replicated to three channels ({@code to_grayscale(img, 3)}). */
  public static void greyscale(byte[] rgb, int pixels) {
    for (int i = 0; i < 3 * pixels; i += 3) {
      byte l = (byte) luma(rgb, i);
      rgb[i] = l;
      rgb[i + 1] = l;
      rgb[i + 2] = l;
    }
  }

  /** Pillow's RGB to L of the pixel at {@code rgb[i..i+2]}. */
  static int luma(byte[] rgb, int i) {
    return ((rgb[i] & 0xff) * 19595 + (rgb[i + 1] & 0xff) * 38470 + (rgb[i + 2] & 0xff) * 7471 + 0x8000) >> 16;
  }

  /** One byte of {@code ImagingBlend(degenerate, image, alpha)}. */
  static byte blend(int degenerate, int x, float alpha) {
    float t = degenerate + alpha * (x - degenerate);
    if (alpha >= 0 && alpha <= 1.0f) {
      return (byte) (int) t;
    }
    if (t <= 0.0f) {
      return 0;
    }
    if (t >= 255.0f) {
      return (byte) 255;
    }
    return (byte) (int) t;
  }
}
