package org.mixbt.prep;

/** Conversions of publishers' planar pixel layouts to the shards' HWC order. */
final class PixelLayout {
  private PixelLayout() {}

  /**
   * {@code channels} planes of {@code height × width} bytes starting at {@code offset}, each plane row-major
   * (CIFAR) or column-major (STL-10, MATLAB order), to one HWC array.
   */
  static byte[] planarToHwc(byte[] src, int offset, int height, int width, int channels, boolean columnMajor) {
    byte[] out = new byte[height * width * channels];
    int plane = height * width;
    for (int c = 0; c < channels; c++) {
      int base = offset + c * plane;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          out[(y * width + x) * channels + c] = src[base + (columnMajor ? x * height + y : y * width + x)];
        }
      }
    }
    return out;
  }
}
