package org.mixbt.core.augment;

/**
 * Bilinear resize of a rectangular region of a CHW float image, with PyTorch's semantics for
 * {@code F.interpolate(mode="bilinear", align_corners=False, antialias=False)} as used by torchvision's
 * {@code resized_crop}.
 *
 * <p>Output pixel {@code d} samples the region at {@code s = scale * (d + 0.5) - 0.5} with
 * {@code scale = in / out} (half-pixel centres); {@code s < 0} is clamped to 0 and the upper neighbour is
 * clamped to the last row/column of the region, so samples never read outside the crop. The arithmetic is
 * done in float in PyTorch's order (width first, then height) so results agree with it to float rounding.
 *
 * <p>Reading the region in place (instead of copying the crop first) keeps the augmentation free of
 * per-view arrays apart from the tiny index tables.
 */
public final class BilinearResize {
  private BilinearResize() {}

  /** Resizes a whole {@code channels x height x width} image to {@code outHeight x outWidth}. */
  public static float[] resize(float[] src, int channels, int height, int width, int outHeight, int outWidth) {
    float[] dst = new float[channels * outHeight * outWidth];
    resize(src, 0, channels, height, width, 0, 0, height, width, dst, 0, outHeight, outWidth);
    return dst;
  }

  /**
   * Resizes the region {@code [top, top + cropHeight) x [left, left + cropWidth)} of every channel of the
   * CHW image at {@code src[srcOffset..]} to {@code outHeight x outWidth}, written CHW at
   * {@code dst[dstOffset..]}.
   */
  public static void resize(float[] src, int srcOffset, int channels, int srcHeight, int srcWidth,
      int top, int left, int cropHeight, int cropWidth,
      float[] dst, int dstOffset, int outHeight, int outWidth) {
    checkRegion(srcHeight, srcWidth, top, left, cropHeight, cropWidth);
    if (outHeight <= 0 || outWidth <= 0) {
      throw new IllegalArgumentException(
          "Cannot resize: output size must be positive: " + outHeight + "x" + outWidth);
    }
    Axis ys = Axis.linear(cropHeight, outHeight);
    Axis xs = Axis.linear(cropWidth, outWidth);
    int srcPlane = srcHeight * srcWidth;
    int dstPlane = outHeight * outWidth;
    for (int c = 0; c < channels; c++) {
      int base = srcOffset + c * srcPlane + top * srcWidth + left;
      int out = dstOffset + c * dstPlane;
      for (int oy = 0; oy < outHeight; oy++) {
        int row0 = base + ys.lo[oy] * srcWidth;
        int row1 = base + ys.hi[oy] * srcWidth;
        float wy0 = ys.wLo[oy];
        float wy1 = ys.wHi[oy];
        for (int ox = 0; ox < outWidth; ox++) {
          int x0 = xs.lo[ox];
          int x1 = xs.hi[ox];
          float t0 = src[row0 + x0] * xs.wLo[ox] + src[row0 + x1] * xs.wHi[ox];
          float t1 = src[row1 + x0] * xs.wLo[ox] + src[row1 + x1] * xs.wHi[ox];
          dst[out++] = t0 * wy0 + t1 * wy1;
        }
      }
    }
  }

  private static void checkRegion(int srcHeight, int srcWidth, int top, int left, int cropHeight,
      int cropWidth) {
    if (cropHeight <= 0 || cropWidth <= 0 || top < 0 || left < 0
        || top + cropHeight > srcHeight || left + cropWidth > srcWidth) {
      throw new IllegalArgumentException("Cannot resize: region (top " + top + ", left " + left + ", "
          + cropHeight + "x" + cropWidth + ") is not inside the image: " + srcHeight + "x" + srcWidth);
    }
  }

  /** Per-output-index source neighbours and weights along one axis. */
  static final class Axis {
    final int[] lo;
    final int[] hi;
    final float[] wLo;
    final float[] wHi;

    private Axis(int n) {
      lo = new int[n];
      hi = new int[n];
      wLo = new float[n];
      wHi = new float[n];
    }

    /** PyTorch's {@code area_pixel_compute_source_index} + {@code guard_index_and_lambda}, in float. */
    static Axis linear(int in, int out) {
      Axis a = new Axis(out);
      float scale = (float) in / out;
      for (int d = 0; d < out; d++) {
        float s = scale * (d + 0.5f) - 0.5f;
        if (s < 0f) {
          s = 0f;
        }
        int i0 = Math.min((int) Math.floor(s), in - 1);
        float lambda = Math.min(Math.max(s - i0, 0f), 1f);
        a.lo[d] = i0;
        a.hi[d] = i0 < in - 1 ? i0 + 1 : i0;
        a.wLo[d] = 1f - lambda;
        a.wHi[d] = lambda;
      }
      return a;
    }
  }
}
