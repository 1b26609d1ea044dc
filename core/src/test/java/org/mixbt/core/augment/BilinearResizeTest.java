package org.mixbt.core.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BilinearResizeTest {

  private static float[] ramp(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (i * 29 % 97) / 97f;
    }
    return a;
  }

  @Test
  void unchangedSizeIsIdentity() {
    // scale 1: s = d + 0.5 - 0.5 = d, lambda 0, so every output is exactly its source pixel
    float[] src = ramp(3 * 7 * 5);
    assertArrayEquals(src, BilinearResize.resize(src, 3, 7, 5, 7, 5));
  }

  @Test
  void upscalesTwoByTwoToFourByFourByHand() {
    // src = [[0, 1], [2, 3]], scale = 2/4 = 0.5, s(d) = 0.5 * (d + 0.5) - 0.5:
    //   d=0: -0.25 -> clamped to 0   -> x0
    //   d=1:  0.25                   -> 0.75 x0 + 0.25 x1
    //   d=2:  0.75                   -> 0.25 x0 + 0.75 x1
    //   d=3:  1.25 -> i0 = 1, upper neighbour clamped to 1 -> x1
    // so along a row [a, b] -> [a, .75a + .25b, .25a + .75b, b]; rows [0,1] -> [0, .25, .75, 1] and
    // [2,3] -> [2, 2.25, 2.75, 3]; the columns mix those rows with the same weights:
    float[] expected = {
        0.0f, 0.25f, 0.75f, 1.0f,
        0.5f, 0.75f, 1.25f, 1.5f,
        1.5f, 1.75f, 2.25f, 2.5f,
        2.0f, 2.25f, 2.75f, 3.0f};
    assertArrayEquals(expected, BilinearResize.resize(new float[] {0, 1, 2, 3}, 1, 2, 2, 4, 4), 0f);
  }

  @Test
  void halvingAveragesPairsWithoutAntialias() {
    // scale 2: s(0) = 0.5, s(1) = 2.5, so each output averages a 2x2 block (rows 0-1 / 2-3)
    float[] src = new float[16];
    for (int i = 0; i < 16; i++) {
      src[i] = i;
    }
    float[] expected = {(0 + 1 + 4 + 5) / 4f, (2 + 3 + 6 + 7) / 4f, (8 + 9 + 12 + 13) / 4f, (10 + 11 + 14 + 15) / 4f};
    assertArrayEquals(expected, BilinearResize.resize(src, 1, 4, 4, 2, 2), 0f);
  }

  @Test
  void constantCropStaysConstant() {
    float[] src = new float[2 * 9 * 11];
    Arrays.fill(src, 0.3f);
    src[0] = 0.9f; // outside the crop below: must not leak in
    float[] dst = new float[2 * 32 * 32];
    BilinearResize.resize(src, 0, 2, 9, 11, 2, 3, 5, 4, dst, 0, 32, 32);
    for (float v : dst) {
      assertEquals(0.3f, v, 1e-7f);
    }
  }

  @Test
  void regionInPlaceEqualsResizingACopiedCrop() {
    int c = 2;
    int h = 10;
    int w = 12;
    float[] src = ramp(c * h * w);
    int top = 3;
    int left = 2;
    int ch = 5;
    int cw = 7;
    float[] copy = new float[c * ch * cw];
    for (int k = 0; k < c; k++) {
      for (int y = 0; y < ch; y++) {
        System.arraycopy(src, k * h * w + (top + y) * w + left, copy, k * ch * cw + y * cw, cw);
      }
    }
    float[] dst = new float[5 + c * 9 * 6];
    BilinearResize.resize(src, 0, c, h, w, top, left, ch, cw, dst, 5, 9, 6);
    float[] expected = BilinearResize.resize(copy, c, ch, cw, 9, 6);
    assertArrayEquals(expected, Arrays.copyOfRange(dst, 5, dst.length));
  }

  @Test
  void matchesTorchvisionResizedCrop() {
    JsonNode root = TorchvisionFixtures.root();
    JsonNode images = root.get("images");
    int cases = 0;
    for (JsonNode c : root.get("resized_crop")) {
      JsonNode img = images.get(c.get("image").asInt());
      int channels = img.get("channels").asInt();
      int oh = c.get("outHeight").asInt();
      int ow = c.get("outWidth").asInt();
      float[] dst = new float[channels * oh * ow];
      BilinearResize.resize(TorchvisionFixtures.floats(img.get("data")), 0, channels, img.get("height").asInt(),
          img.get("width").asInt(), c.get("top").asInt(), c.get("left").asInt(), c.get("boxHeight").asInt(),
          c.get("boxWidth").asInt(), dst, 0, oh, ow);
      assertArrayEquals(TorchvisionFixtures.floats(c.get("output")), dst, 1e-5f, c.toString().substring(0, 80));
      cases++;
    }
    assertEquals(9, cases);
  }

  @Test
  void rejectsRegionOutsideTheImage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BilinearResize.resize(new float[16], 0, 1, 4, 4, 1, 1, 4, 2, new float[4], 0, 2, 2));
    assertEquals("Cannot resize: region (top 1, left 1, 4x2) is not inside the image: 4x4", e.getMessage());
  }
}
