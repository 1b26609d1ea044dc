package org.mixbt.core.augment;

/**
 * Pillow's {@code ImageFilter.GaussianBlur(sigma)}, which the original's ImageNet views apply
 * ({@code main_imagenet.py}: {@code img.filter(ImageFilter.GaussianBlur(sigma))}, not torchvision's
 * kernel-based GaussianBlur). Pillow approximates the Gaussian by three passes of an "extended" box blur
 * (Gwosdek et al. 2011) along rows, then three along columns, each pass rounded to uint8, with the box
 * radius and 24-bit fixed-point weights computed in C float ({@code libImaging/BoxBlur.c}). Edges repeat
 * the border pixel. Everything is reproduced in that arithmetic, so outputs are byte-identical.
 */
public final class PilGaussianBlur {
  private static final int PASSES = 3;

  private PilGaussianBlur() {}

  /** Blurs the {@code height x width} RGB HWC image in place with standard deviation {@code sigma}. */
  public static void blur(byte[] rgb, int height, int width, double sigma) {
    if (!(sigma >= 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("Cannot blur: sigma must be finite and >= 0: " + sigma);
    }
    float radius = boxRadius((float) sigma);
    if (radius == 0f) {
      return;
    }
    int longest = Math.max(height, width);
    int[] line = Scratch.ints(1, longest);
    int[] out = Scratch.ints(2, longest);
    BoxLine box = new BoxLine(radius);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < height; y++) {
        blurLine(rgb, y * width * 3 + c, 3, width, box, line, out);
      }
      for (int x = 0; x < width; x++) {
        blurLine(rgb, x * 3 + c, width * 3, height, box, line, out);
      }
    }
  }

  /** Three passes along one row or column of one channel ({@code start}, {@code stride}, {@code n}). */
  private static void blurLine(byte[] rgb, int start, int stride, int n, BoxLine box, int[] line, int[] out) {
    for (int i = 0, j = start; i < n; i++, j += stride) {
      line[i] = rgb[j] & 0xff;
    }
    for (int pass = 0; pass < PASSES; pass++) {
      box.apply(line, out, n);
      System.arraycopy(out, 0, line, 0, n);
    }
    for (int i = 0, j = start; i < n; i++, j += stride) {
      rgb[j] = (byte) line[i];
    }
  }

  /** {@code _gaussian_blur_radius}: the extended box radius (integer part + fraction), in C float. */
  static float boxRadius(float sigma) {
    float sigma2 = sigma * sigma / PASSES;
    float bigL = (float) Math.sqrt(12.0 * sigma2 + 1.0);
    float l = (float) Math.floor((bigL - 1.0) / 2.0);
    float a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2);
    a /= 6 * (sigma2 - (l + 1) * (l + 1));
    return l + a;
  }

  /** One pass of {@code ImagingLineBoxBlur8}: unsigned 32-bit arithmetic, 24-bit weights. */
  static final class BoxLine {
    final int radius;
    final int ww;
    final int fw;

    BoxLine(float floatRadius) {
      radius = (int) floatRadius;
      ww = (int) (long) ((float) (1 << 24) / (floatRadius * 2 + 1));
      fw = (int) (((1L << 24) - (radius * 2L + 1) * (ww & 0xffffffffL)) / 2);
    }

    void apply(int[] in, int[] out, int n) {
      int last = n - 1;
      int edgeA = Math.min(radius + 1, n);
      int edgeB = Math.max(n - radius - 1, 0);
      int acc = in[0] * (radius + 1);
      for (int x = 0; x < edgeA - 1; x++) {
        acc += in[x];
      }
      acc += in[last] * (radius - edgeA + 1);
      if (edgeA <= edgeB) {
        for (int x = 0; x < edgeA; x++) {
          acc += in[x + radius] - in[0];
          out[x] = save(acc, in[0] + in[x + radius + 1]);
        }
        for (int x = edgeA; x < edgeB; x++) {
          acc += in[x + radius] - in[x - radius - 1];
          out[x] = save(acc, in[x - radius - 1] + in[x + radius + 1]);
        }
        for (int x = edgeB; x <= last; x++) {
          acc += in[last] - in[x - radius - 1];
          out[x] = save(acc, in[x - radius - 1] + in[last]);
        }
      } else {
        for (int x = 0; x < edgeB; x++) {
          acc += in[x + radius] - in[0];
          out[x] = save(acc, in[0] + in[x + radius + 1]);
        }
        for (int x = edgeB; x < edgeA; x++) {
          acc += in[last] - in[0];
          out[x] = save(acc, in[0] + in[last]);
        }
        for (int x = edgeA; x <= last; x++) {
          acc += in[last] - in[x - radius - 1];
          out[x] = save(acc, in[x - radius - 1] + in[last]);
        }
      }
    }

    /** {@code (acc * ww + far * fw + 2^23) >> 24} in unsigned 32-bit arithmetic, as Pillow's UINT32. */
    private int save(int acc, int far) {
      int bulk = acc * ww + far * fw;
      return (bulk + (1 << 23)) >>> 24 & 0xff;
    }
  }
}
