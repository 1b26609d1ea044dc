package org.mixbt.core.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GreyscaleViewAugmenterTest {
  private static final GreyscaleViewAugmenter RECIPE =
      new GreyscaleViewAugmenter(GreyscaleViewSettings.fashionMnist());

  /** A 28x28 test image with structure in both directions (so flips and crops change it). */
  private static byte[] image() {
    byte[] px = new byte[28 * 28];
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        px[y * 28 + x] = (byte) ((x * 9 + y * y) % 256);
      }
    }
    return px;
  }

  @Test
  void recipeDefaultsMatchTheReferenceRun() {
    GreyscaleViewSettings s = GreyscaleViewSettings.fashionMnist();
    assertEquals(new GreyscaleViewSettings(2, 32, 0.08, 1.0, 0.75, 4.0 / 3.0, 0.5, 0.8, 0.4, 0.4, 0.2860f,
        0.3530f, 3), s);
    assertEquals(0.6, s.brightnessMin(), 1e-12);
    assertEquals(1.4, s.contrastMax(), 1e-12);
    assertEquals(3 * 32 * 32, RECIPE.outputLength());
  }

  @Test
  void sameViewKeyGivesIdenticalViewsAndOtherViewsDiffer() {
    byte[] px = image();
    float[] a = RECIPE.augment(px, 28, 28, ViewRandom.forView(0, 2, 17, 0));
    float[] b = RECIPE.augment(px, 28, 28, ViewRandom.forView(0, 2, 17, 0));
    float[] other = RECIPE.augment(px, 28, 28, ViewRandom.forView(0, 2, 17, 1));
    assertArrayEquals(a, b, 0f);
    assertFalse(Arrays.equals(a, other));
  }

  @Test
  void writesAtOffsetWithoutTouchingNeighbours() {
    byte[] px = image();
    int len = RECIPE.outputLength();
    float[] batch = new float[3 * len];
    Arrays.fill(batch, 42f);
    RECIPE.augment(px, 28, 28, ViewRandom.forView(5, 0, 3, 1), batch, len);
    float[] alone = RECIPE.augment(px, 28, 28, ViewRandom.forView(5, 0, 3, 1));
    assertArrayEquals(alone, Arrays.copyOfRange(batch, len, 2 * len), 0f);
    for (int i = 0; i < len; i++) {
      assertEquals(42f, batch[i]);
      assertEquals(42f, batch[2 * len + i]);
    }
  }

  @Test
  void channelsAreCopiesAndValuesStayInTheNormalisedRange() {
    float lo = -0.2860f / 0.3530f;
    float hi = (1f - 0.2860f) / 0.3530f;
    for (int r = 0; r < 200; r++) {
      float[] v = RECIPE.augment(image(), 28, 28, ViewRandom.forView(1, 0, r, 0));
      assertArrayEquals(Arrays.copyOfRange(v, 0, 1024), Arrays.copyOfRange(v, 1024, 2048), 0f);
      assertArrayEquals(Arrays.copyOfRange(v, 0, 1024), Arrays.copyOfRange(v, 2048, 3072), 0f);
      for (float x : v) {
        assertTrue(x >= lo - 1e-6f && x <= hi + 1e-6f, "value " + x);
      }
    }
  }

  @Test
  void withoutRandomStepsTheViewIsTheEvalView() {
    // scale fixed at 1 on the square 32x32 padded image: accepted tries and the fallback are both the
    // whole image, the 32 -> 32 resize is the identity, so only pad + normalise + repeat remain.
    GreyscaleViewSettings.Builder b = GreyscaleViewSettings.builder().scale(1, 1).jitterProbability(0);
    GreyscaleViewAugmenter plain = new GreyscaleViewAugmenter(b.flipProbability(0).build());
    GreyscaleViewAugmenter flipped = new GreyscaleViewAugmenter(b.flipProbability(1).build());
    float[] eval = EvalTransform.of(GreyscaleViewSettings.fashionMnist()).apply(image(), 28, 28);
    assertArrayEquals(eval, plain.augment(image(), 28, 28, new SplittableRandom(1)), 0f);
    ImageOps.flipHorizontal(eval, 0, 3, 32, 32);
    assertArrayEquals(eval, flipped.augment(image(), 28, 28, new SplittableRandom(1)), 0f);
  }

  @Test
  void jitterIsBrightnessThenContrastWithTheDrawnFactors() {
    // Replays the documented draw order on a copy of the stream: crop box, flip gate, jitter gate, b, c.
    GreyscaleViewSettings s = GreyscaleViewSettings.builder().scale(1, 1).flipProbability(0)
        .jitterProbability(1).build();
    float[] view = new GreyscaleViewAugmenter(s).augment(image(), 28, 28, new SplittableRandom(77));

    SplittableRandom replay = new SplittableRandom(77);

    new RandomResizedCrop(32, 32, 1, 1, 0.75, 4.0 / 3.0).sampleBox(32, 32, replay);
    replay.nextDouble(); // flip gate
    replay.nextDouble(); // jitter gate
    float bright = (float) (0.6 + 0.8 * replay.nextDouble());
    float contrast = (float) (0.6 + 0.8 * replay.nextDouble());
    float[] expected = new float[3 * 1024];
    ImageOps.toUnitPadded(image(), 28, 28, 1, 2, expected, 0);
    ImageOps.adjustBrightness(expected, 0, 1024, bright);
    ImageOps.adjustContrastGrey(expected, 0, 1024, contrast);
    ImageOps.normalise(expected, 0, 1024, 0.2860f, 0.3530f);
    ImageOps.repeatPlane(expected, 0, 1024, 3);
    assertArrayEquals(expected, view, 0f);
  }

  @Test
  void settingsFailFastWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GreyscaleViewSettings.builder().jitterProbability(1.5).build());
    assertEquals("Cannot configure greyscale view: jitter probability must be in [0, 1]: 1.5", e.getMessage());
  }
}
