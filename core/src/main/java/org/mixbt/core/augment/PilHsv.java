package org.mixbt.core.augment;

/**
 * Pillow's uint8 HSV conversions ({@code libImaging/Convert.c}: {@code rgb2hsv_row}, {@code hsv2rgb}), with
 * their mix of float and double arithmetic kept step by step: a different rounding order changes some hue
 * bytes by one.
 */
final class PilHsv {
  /** {@code (float) d / (float) cr} for d, cr in 0..255: the same float division, looked up. */
  private static final float[] RATIO = new float[256 * 256];

  static {
    for (int d = 0; d < 256; d++) {
      for (int cr = 1; cr < 256; cr++) {
        RATIO[d * 256 + cr] = (float) d / (float) cr;
      }
    }
  }

  private PilHsv() {}

  /** Hue byte of a pixel whose channels are not all equal ({@code max > min}). */
  static int hue(int r, int g, int b, int max, int min) {
    int cr = max - min;
    float rc = RATIO[(max - r) * 256 + cr];
    float gc = RATIO[(max - g) * 256 + cr];
    float bc = RATIO[(max - b) * 256 + cr];
    float h;
    if (r == max) {
      h = bc - gc;
    } else if (g == max) {
      h = (float) (2.0 + rc - bc);
    } else {
      h = (float) (4.0 + gc - rc);
    }
    // fmod(x, 1.0) for x = h / 6 + 1 in [5/6, 11/6]: subtracting 1 is exact there (Sterbenz), as fmod is
    double x = h / 6.0 + 1.0;
    h = (float) (x >= 1.0 ? x - 1.0 : x);
    return clip8((int) (h * 255.0));
  }

  /** Saturation byte of a pixel with {@code max > min}. */
  static int saturation(int max, int min) {
    float s = RATIO[(max - min) * 256 + max];
    return clip8((int) (s * 255.0));
  }

  /** Writes the RGB of (h, s, v) to {@code rgb[i..i+2]}. */
  static void toRgb(int h, int s, int v, byte[] rgb, int i) {
    byte bv = (byte) v;
    if (s == 0) {
      rgb[i] = bv;
      rgb[i + 1] = bv;
      rgb[i + 2] = bv;
      return;
    }
    int sector = (int) Math.floor((float) h * 6.0 / 255.0);
    float f = (float) ((float) h * 6.0 / 255.0 - (float) sector);
    float fs = (float) ((float) s / 255.0);
    byte p = (byte) clip8((int) Math.round((float) v * (1.0 - fs)));
    byte q = (byte) clip8((int) Math.round((float) v * (1.0 - fs * f)));
    byte t = (byte) clip8((int) Math.round((float) v * (1.0 - fs * (1.0 - f))));
    switch (sector % 6) {
      case 0 -> set(rgb, i, bv, t, p);
      case 1 -> set(rgb, i, q, bv, p);
      case 2 -> set(rgb, i, p, bv, t);
      case 3 -> set(rgb, i, p, q, bv);
      case 4 -> set(rgb, i, t, p, bv);
      default -> set(rgb, i, bv, p, q);
    }
  }

  private static void set(byte[] rgb, int i, byte r, byte g, byte b) {
    rgb[i] = r;
    rgb[i + 1] = g;
    rgb[i + 2] = b;
  }

  private static int clip8(int v) {
    return v < 0 ? 0 : (v > 255 ? 255 : v);
  }
}
