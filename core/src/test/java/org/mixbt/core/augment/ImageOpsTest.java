package org.mixbt.core.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ImageOpsTest {

  @Test
  void padsAndScalesGreyscale() {
    byte[] px = {0, (byte) 255, (byte) 51, (byte) 204}; // 2x2, 255 and 204 stored as negative bytes
    float[] out = new float[1 + 4 * 4];
    out[0] = 7f; // before the offset: must stay
    java.util.Arrays.fill(out, 1, out.length, -1f); // stale values: padding must overwrite them
    ImageOps.toUnitPadded(px, 2, 2, 1, 1, out, 1);
    float[] expected = {7f,
        0, 0, 0, 0,
        0, 0f, 1f, 0,
        0, 0.2f, 0.8f, 0,
        0, 0, 0, 0};
    assertArrayEquals(expected, out, 0f);
  }

  @Test
  void convertsHwcToChw() {
    byte[] px = {10, 20, 30, 40, 50, 60}; // 1x2 RGB: (10,20,30), (40,50,60)
    float[] out = new float[6];
    ImageOps.toUnitPadded(px, 1, 2, 3, 0, out, 0);
    assertArrayEquals(new float[] {10 / 255f, 40 / 255f, 20 / 255f, 50 / 255f, 30 / 255f, 60 / 255f}, out, 0f);
  }

  @Test
  void rejectsWrongPixelCount() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageOps.toUnitPadded(new byte[5], 2, 2, 1, 0, new float[4], 0));
    assertEquals("Cannot convert image: expected 2x2x1 = 4 bytes: 5", e.getMessage());
  }

  @Test
  void flipsEachRowOfEachChannel() {
    float[] a = {9, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13}; // offset 1: 2 channels x 2 rows x 3
    ImageOps.flipHorizontal(a, 1, 2, 2, 3);
    assertArrayEquals(new float[] {9, 3, 2, 1, 6, 5, 4, 10, 8, 7, 13, 12, 11}, a, 0f);
  }

  @Test
  void brightnessScalesAndClamps() {
    float[] a = {0f, 0.25f, 0.5f, 0.8f};
    ImageOps.adjustBrightness(a, 0, 4, 1.4f);
    assertArrayEquals(new float[] {0f, 0.35f, 0.7f, 1f}, a, 1e-7f); // 0.8 * 1.4 = 1.12 -> 1
    ImageOps.adjustBrightness(a, 1, 2, 0.5f);
    assertArrayEquals(new float[] {0f, 0.175f, 0.35f, 1f}, a, 1e-7f);
  }

  @Test
  void contrastBlendsWithPlaneMeanAndClamps() {
    // mean = (0 + 0.2 + 0.6 + 1.0) / 4 = 0.45; factor 1.4: x' = 1.4 x - 0.4 * 0.45 = 1.4 x - 0.18
    // -> [-0.18, 0.10, 0.66, 1.22] -> clamp -> [0, 0.10, 0.66, 1]
    float[] a = {0f, 0.2f, 0.6f, 1.0f};
    ImageOps.adjustContrastGrey(a, 0, 4, 1.4f);
    assertArrayEquals(new float[] {0f, 0.10f, 0.66f, 1f}, a, 1e-6f);
    // factor 0.6: x' = 0.6 x + 0.4 * mean, pulls towards the mean and never leaves [0, 1]
    float[] b = {0f, 1f};
    ImageOps.adjustContrastGrey(b, 0, 2, 0.6f);
    assertArrayEquals(new float[] {0.2f, 0.8f}, b, 1e-6f);
  }

  @Test
  void contrastMatchesTorchvision() {
    for (JsonNode c : TorchvisionFixtures.root().get("contrast")) {
      float[] a = TorchvisionFixtures.floats(c.get("image"));
      ImageOps.adjustContrastGrey(a, 0, a.length, (float) c.get("factor").asDouble());
      assertArrayEquals(TorchvisionFixtures.floats(c.get("output")), a, 1e-6f);
    }
  }

  @Test
  void normalisesWithMeanAndStd() {
    float[] a = {0f, 0.2860f, 1f};
    ImageOps.normalise(a, 0, 3, 0.2860f, 0.3530f);
    assertArrayEquals(new float[] {-0.2860f / 0.3530f, 0f, (1f - 0.2860f) / 0.3530f}, a, 0f);
  }

  @Test
  void repeatsThePlane() {
    float[] a = {5, 1, 2, 0, 0, 0, 0};
    ImageOps.repeatPlane(a, 1, 2, 3);
    assertArrayEquals(new float[] {5, 1, 2, 1, 2, 1, 2}, a, 0f);
  }
}
