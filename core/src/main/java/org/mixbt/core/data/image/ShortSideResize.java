package org.mixbt.core.data.image;

/**
 * Resizes an RGB image so its short side has a given length, as torchvision's {@code Resize(size)} does on a
 * PIL image: the output size is torchvision's ({@code long = int(size * long / short)}) and the pixels are
 * PIL's {@code Image.resize(…, BILINEAR)}: a separable triangle filter whose support widens with the
 * downscale factor (antialiased), 22-bit fixed-point weights, horizontal pass first, each pass rounded and
 * clipped to uint8. Bilinear because it is what {@code Resize} uses by default in the original recipes, so
 * shards resized here hold the images the original's {@code Resize(256)} would have produced from the
 * full-size file.
 */
public final class ShortSideResize {
  private static final int PRECISION_BITS = 32 - 8 - 2;

  private ShortSideResize() {}

  /** {@code {height, width}} after resizing the short side to {@code shortSide}. */
  public static int[] outputSize(int height, int width, int shortSide) {
    if (shortSide < 1) {
      throw new IllegalArgumentException("Cannot resize: short side must be positive: " + shortSide);
    }
    if (width <= height) {
      return new int[] {(int) ((double) shortSide * height / width), shortSide};
    }
    return new int[] {shortSide, (int) ((double) shortSide * width / height)};
  }

  /** The resized image (the same instance when it already has the requested size). */
  public static DecodedImage resize(DecodedImage in, int shortSide) {
    int[] size = outputSize(in.height(), in.width(), shortSide);
    int outH = size[0];
    int outW = size[1];
    if (outH == in.height() && outW == in.width()) {
      return in;
    }
    byte[] px = in.pixels();
    int h = in.height();
    int w = in.width();
    if (outW != w) {
      px = horizontal(px, h, w, outW);
      w = outW;
    }
    if (outH != h) {
      px = vertical(px, h, w, outH);
    }
    return new DecodedImage(in.format(), outH, outW, px);
  }

  /** Per output index: first source index, tap count, and fixed-point weights (PIL's precompute_coeffs). */
  private record Coefficients(int[] first, int[] taps, int[][] weights) {
    static Coefficients of(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = filterScale; // triangle filter: support 1, widened when shrinking
      int[] first = new int[outSize];
      int[] taps = new int[outSize];
      int[][] weights = new int[outSize][];
      for (int o = 0; o < outSize; o++) {
        double centre = (o + 0.5) * scale;
        int min = Math.max((int) (centre - support + 0.5), 0);
        int max = Math.min((int) (centre + support + 0.5), inSize) - min;
        double[] k = new double[max];
        double sum = 0;
        for (int x = 0; x < max; x++) {
          double t = Math.abs((x + min - centre + 0.5) / filterScale);
          k[x] = t < 1.0 ? 1.0 - t : 0.0;
          sum += k[x];
        }
        int[] fixed = new int[max];
        for (int x = 0; x < max; x++) {
          double v = sum != 0.0 ? k[x] / sum : k[x];
          fixed[x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
        }
        first[o] = min;
        taps[o] = max;
        weights[o] = fixed;
      }
      return new Coefficients(first, taps, weights);
    }
  }

  private static byte[] horizontal(byte[] in, int h, int w, int outW) {
    Coefficients c = Coefficients.of(w, outW);
    byte[] out = new byte[h * outW * 3];
    for (int y = 0; y < h; y++) {
      for (int o = 0; o < outW; o++) {
        for (int ch = 0; ch < 3; ch++) {
          int acc = 1 << (PRECISION_BITS - 1);
          for (int t = 0; t < c.taps[o]; t++) {
            acc += (in[(y * w + c.first[o] + t) * 3 + ch] & 0xFF) * c.weights[o][t];
          }
          out[(y * outW + o) * 3 + ch] = clip8(acc);
        }
      }
    }
    return out;
  }

  private static byte[] vertical(byte[] in, int h, int w, int outH) {
    Coefficients c = Coefficients.of(h, outH);
    byte[] out = new byte[outH * w * 3];
    for (int o = 0; o < outH; o++) {
      for (int x = 0; x < w * 3; x++) {
        int acc = 1 << (PRECISION_BITS - 1);
        for (int t = 0; t < c.taps[o]; t++) {
          acc += (in[(c.first[o] + t) * w * 3 + x] & 0xFF) * c.weights[o][t];
        }
        out[o * w * 3 + x] = clip8(acc);
      }
    }
    return out;
  }

  private static byte clip8(int acc) {
    int v = acc >> PRECISION_BITS;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
