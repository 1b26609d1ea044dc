package org.mixbt.core.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Pixel-exact against Pillow 9.4.0's BILINEAR resize (golden/resize/make_resize_golden.py). */
class ShortSideResizeTest {

  static byte[] pattern(int h, int w) {
    byte[] p = new byte[h * w * 3];
    int i = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          p[i++] = (byte) ((y * 7 + x * 13 + c * 61 + (x * y) % 17) % 256);
        }
      }
    }
    return p;
  }

  @ParameterizedTest
  @CsvSource({"37,53,5,5,7", "37,53,16,16,22", "37,53,50,50,71", "53,37,16,22,16"})
  void equalsPillow(int h, int w, int shortSide, int outH, int outW) throws IOException {
    DecodedImage in = new DecodedImage("png", h, w, pattern(h, w));
    assertArrayEquals(new int[] {outH, outW}, ShortSideResize.outputSize(h, w, shortSide));
    DecodedImage out = ShortSideResize.resize(in, shortSide);
    String name = "/golden/resize/pattern-" + h + "x" + w + "-short" + shortSide + "-" + outH + "x" + outW + ".rgb";
    byte[] expected;
    try (InputStream s = getClass().getResourceAsStream(name)) {
      expected = s.readAllBytes();
    }
    assertArrayEquals(expected, out.pixels(), name);
  }

  @Test
  void alreadyTheRightSizeIsUntouched() {
    DecodedImage in = new DecodedImage("jpeg", 37, 53, pattern(37, 53));
    assertSame(in, ShortSideResize.resize(in, 37));
  }

  @Test
  void torchvisionOutputSizeTruncates() {
    // 500x375 (ImageNet's common size) to 256: long side int(256 * 500 / 375) = int(341.33) = 341.
    assertArrayEquals(new int[] {256, 341}, ShortSideResize.outputSize(375, 500, 256));
    assertArrayEquals(new int[] {341, 256}, ShortSideResize.outputSize(500, 375, 256));
    assertArrayEquals(new int[] {256, 256}, ShortSideResize.outputSize(64, 64, 256));
  }
}
