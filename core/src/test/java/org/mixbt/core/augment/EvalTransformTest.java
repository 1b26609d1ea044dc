package org.mixbt.core.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EvalTransformTest {

  @Test
  void padsNormalisesAndRepeatsGrey() {
    EvalTransform t = new EvalTransform(1, 1, new float[] {0.5f}, new float[] {0.25f}, 3);
    float[] out = t.apply(new byte[] {(byte) 255}, 1, 1);
    float p = (0f - 0.5f) / 0.25f; // padding is 0 before normalisation: -2
    float c = (1f - 0.5f) / 0.25f; // 255 -> 1 -> 2
    float[] plane = {p, p, p, p, c, p, p, p, p};
    float[] expected = new float[27];
    for (int k = 0; k < 3; k++) {
      System.arraycopy(plane, 0, expected, 9 * k, 9);
    }
    assertArrayEquals(expected, out, 0f);
    assertEquals(27, t.outputLength(1, 1));
  }

  @Test
  void fashionMnistViewIs3x32x32() {
    EvalTransform t = EvalTransform.of(GreyscaleViewSettings.fashionMnist());
    float[] out = t.apply(new byte[28 * 28], 28, 28);
    assertEquals(3 * 32 * 32, out.length);
    for (float v : out) {
      assertEquals((0f - 0.2860f) / 0.3530f, v, 0f);
    }
  }

  @Test
  void rgbUsesPerChannelStatistics() {
    EvalTransform t = new EvalTransform(3, 0, new float[] {0f, 0.5f, 1f}, new float[] {1f, 0.5f, 0.25f}, 3);
    float[] out = new float[4];
    t.apply(new byte[] {0, (byte) 255, (byte) 255}, 1, 1, new float[4], 1);
    t.apply(new byte[] {0, (byte) 255, (byte) 255}, 1, 1, out, 1);
    assertArrayEquals(new float[] {0f, 0f, 1f, 0f}, out, 0f);
  }

  @Test
  void rejectsRepeatingColourChannels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EvalTransform(3, 0, new float[3], new float[] {1, 1, 1}, 1));
    assertEquals("Cannot build eval transform: only one grey channel can be repeated: 3 -> 1", e.getMessage());
  }
}
