package org.mixbt.core.augment;

/**
 * The remaining uint8 steps of the RGB pipelines (HWC, 3 channels), each exact: horizontal flip
 * ({@code F.hflip}), solarisation ({@code ImageOps.solarize}, threshold 128), and the final
 * {@code ToTensor} + {@code Normalize} to float CHW.
 */
public final class RgbOps {
  private static final int SOLARIZE_THRESHOLD = 128;

  private RgbOps() {}

  /** Mirrors each row of the HWC image in place. */
  public static void flipHorizontal(byte[] rgb, int height, int width) {
    for (int y = 0; y < height; y++) {
      int i = y * width * 3;
      int j = i + (width - 1) * 3;
      for (; i < j; i += 3, j -= 3) {
        for (int c = 0; c < 3; c++) {
          byte t = rgb[i + c];
          rgb[i + c] = rgb[j + c];
          rgb[j + c] = t;
        }
      }
    }
  }

  /** {@code ImageOps.solarize(img)}: every byte {@code >= 128} becomes {@code 255 - x}. */
  public static void solarize(byte[] rgb, int pixels) {
    for (int i = 0; i < 3 * pixels; i++) {
      int v = rgb[i] & 0xff;
      if (v >= SOLARIZE_THRESHOLD) {
        rgb[i] = (byte) (255 - v);
      }
    }
  }

  /**
   * Per-channel lookup tables of {@code (x / 255f - mean) / std} in float, the exact values of
   * {@code Normalize(mean, std)(ToTensor()(img))}; a view then costs one table read per byte.
   */
  public static float[][] normalisationTables(Rgb mean, Rgb std) {
    float[][] t = new float[3][256];
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        t[c][v] = (v / 255f - mean.get(c)) / std.get(c);
      }
    }
    return t;
  }

  /** Writes the HWC image to {@code out[offset..]} as normalised float CHW through {@code tables}. */
  public static void toNormalisedChw(byte[] rgb, int height, int width, float[][] tables, float[] out,
      int offset) {
    int plane = height * width;
    for (int c = 0; c < 3; c++) {
      float[] t = tables[c];
      int o = offset + c * plane;
      for (int p = 0, i = c; p < plane; p++, i += 3) {
        out[o + p] = t[rgb[i] & 0xff];
      }
    }
  }
}
