package org.mixbt.core.augment;

/**
 * Pillow's {@code Image.resize} for 8-bit RGB images ({@code libImaging/Resample.c}), applied to a crop box:
 * torchvision's {@code resized_crop} and {@code resize} on a PIL image do exactly {@code crop} then
 * {@code resize}.
 *
 * <p>Pillow resamples with a convolution whose support grows with the downscaling factor (so downscaling
 * averages every input pixel: the antialiasing that tensor-based {@code interpolate} lacks), in two
 * separable passes, horizontal first, each rounded to uint8. Weights are computed in double, normalised to
 * sum 1, then turned into 22-bit fixed-point integers; each output is {@code (2^21 + sum k*x) >> 22}
 * clamped to [0, 255]. Reproducing those integer steps makes the output byte-identical to Pillow's.
 * A pass whose size does not change is skipped, as Pillow skips it.
 */
public final class PilResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;
  private static final int HALF = 1 << (PRECISION_BITS - 1);

  private PilResize() {}

  /**
   * Resizes the box {@code [top, top + boxHeight) x [left, left + boxWidth)} of the HWC image
   * {@code src} ({@code height x width x channels}) to {@code outHeight x outWidth}, written HWC to
   * {@code dst} from index 0.
   */
  public static void resize(byte[] src, int height, int width, int channels, int top, int left, int boxHeight,
      int boxWidth, int outHeight, int outWidth, PilFilter filter, byte[] dst) {
    if (boxHeight <= 0 || boxWidth <= 0 || top < 0 || left < 0 || top + boxHeight > height
        || left + boxWidth > width) {
      throw new IllegalArgumentException("Cannot resize: box (top " + top + ", left " + left + ", " + boxHeight
          + "x" + boxWidth + ") is not inside the image: " + height + "x" + width);
    }
    if (outHeight <= 0 || outWidth <= 0) {
      throw new IllegalArgumentException("Cannot resize: output size must be positive: " + outHeight + "x"
          + outWidth);
    }
    boolean horizontal = outWidth != boxWidth;
    boolean vertical = outHeight != boxHeight;
    if (!horizontal) {
      // Rows of the box, copied to a compact buffer (the vertical pass, or the result itself).
      byte[] rows = vertical ? Scratch.bytes(0, boxHeight * boxWidth * channels) : dst;
      for (int y = 0; y < boxHeight; y++) {
        System.arraycopy(src, ((top + y) * width + left) * channels, rows, y * boxWidth * channels,
            boxWidth * channels);
      }
      if (vertical) {
        vertical(rows, boxHeight, outWidth, channels, outHeight, filter, dst);
      }
      return;
    }
    byte[] mid = vertical ? Scratch.bytes(0, boxHeight * outWidth * channels) : dst;
    Coefficients cx = Coefficients.of(boxWidth, outWidth, filter);
    for (int y = 0; y < boxHeight; y++) {
      int row = ((top + y) * width + left) * channels;
      int out = y * outWidth * channels;
      for (int ox = 0; ox < outWidth; ox++) {
        int xmin = cx.bounds[2 * ox];
        int n = cx.bounds[2 * ox + 1];
        int kb = ox * cx.ksize;
        for (int c = 0; c < channels; c++) {
          int ss = HALF;
          int in = row + xmin * channels + c;
          for (int x = 0; x < n; x++, in += channels) {
            ss += (src[in] & 0xff) * cx.k[kb + x];
          }
          mid[out++] = clip8(ss);
        }
      }
    }
    if (vertical) {
      vertical(mid, boxHeight, outWidth, channels, outHeight, filter, dst);
    }
  }

  /** Pillow's vertical pass over a compact {@code inHeight x width x channels} image. */
  private static void vertical(byte[] src, int inHeight, int width, int channels, int outHeight,
      PilFilter filter, byte[] dst) {
    Coefficients cy = Coefficients.of(inHeight, outHeight, filter);
    int line = width * channels;
    for (int oy = 0; oy < outHeight; oy++) {
      int ymin = cy.bounds[2 * oy];
      int n = cy.bounds[2 * oy + 1];
      int kb = oy * cy.ksize;
      int out = oy * line;
      for (int i = 0; i < line; i++) {
        int ss = HALF;
        int in = ymin * line + i;
        for (int y = 0; y < n; y++, in += line) {
          ss += (src[in] & 0xff) * cy.k[kb + y];
        }
        dst[out + i] = clip8(ss);
      }
    }
  }

  /** {@code clip8}: the fixed-point sum back to a byte, clamped (arithmetic shift, as Pillow's lookup). */
  private static byte clip8(int ss) {
    int v = ss >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : (v > 255 ? 255 : v));
  }

  /** Per-output-pixel first input index, tap count and fixed-point weights along one axis. */
  static final class Coefficients {
    final int ksize;
    final int[] bounds;
    final int[] k;

    private Coefficients(int ksize, int outSize) {
      this.ksize = ksize;
      this.bounds = new int[2 * outSize];
      this.k = new int[ksize * outSize];
    }

    /** Pillow's {@code precompute_coeffs} (box [0, inSize)) and {@code normalize_coeffs_8bpc}. */
    static Coefficients of(int inSize, int outSize, PilFilter filter) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = filter.support() * filterScale;
      int ksize = (int) Math.ceil(support) * 2 + 1;
      Coefficients c = new Coefficients(ksize, outSize);
      double[] w = new double[ksize];
      for (int xx = 0; xx < outSize; xx++) {
        double center = (xx + 0.5) * scale;
        double ss = 1.0 / filterScale;
        int xmin = Math.max((int) (center - support + 0.5), 0);
        int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
        double sum = 0.0;
        for (int x = 0; x < xmax; x++) {
          w[x] = filter.weight((x + xmin - center + 0.5) * ss);
          sum += w[x];
        }
        for (int x = 0; x < xmax; x++) {
          double v = sum != 0.0 ? w[x] / sum : w[x];
          c.k[xx * ksize + x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
        }
        c.bounds[2 * xx] = xmin;
        c.bounds[2 * xx + 1] = xmax;
      }
      return c;
    }
  }
}
