package org.mixbt.core.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mixbt.core.augment.RandomResizedCrop.CropBox;
import org.mixbt.core.augment.RgbViewSettings.ViewOrder;

/** Whole RGB views: fixed parameters against torchvision, repeatability, and shape errors. */
class RgbViewAugmenterTest {

  /** ImageNet's recipe at a 24-pixel view, so the fixture stays small. */
  private static RgbViewSettings small(ViewOrder order) {
    RgbViewSettings s = RgbViewSettings.imageNet(1);
    return new RgbViewSettings(order, 24, s.scaleMin(), s.scaleMax(), s.ratioMin(), s.ratioMax(),
        s.interpolation(), s.flipProbability(), s.jitterProbability(), s.brightness(), s.contrast(),
        s.saturation(), s.hue(), s.grayscaleProbability(), s.blurProbability(), s.blurSigmaMin(),
        s.blurSigmaMax(), s.solarizeProbability(), s.mean(), s.std());
  }

  /** crop -> flip -> jitter (fixed order) -> grey -> blur -> solarize -> ToTensor -> Normalize, bit for bit. */
  @Test
  void fixedParametersGiveTorchvisionsView() {
    RgbViewAugmenter aug = new RgbViewAugmenter(small(ViewOrder.CROP_FIRST));
    int checked = 0;
    for (JsonNode c : PilFixtures.root().get("view")) {
      int i = c.get("image").asInt();
      int[] order = new int[4];
      double[] factors = new double[4];
      for (int k = 0; k < 4; k++) {
        order[k] = c.get("order").get(k).asInt();
        factors[k] = c.get("factors").get(k).asDouble();
      }
      RgbViewAugmenter.Params p = new RgbViewAugmenter.Params(new CropBox(c.get("top").asInt(),
          c.get("left").asInt(), c.get("h").asInt(), c.get("w").asInt()), true,
          new ColorJitter.Draw(order, factors), c.get("grey").asBoolean(), c.get("sigma").asDouble(),
          c.get("solarize").asBoolean());
      float[] out = new float[aug.outputLength()];
      aug.render(PilFixtures.pixels(i), PilFixtures.height(i), PilFixtures.width(i), p, out, 0);
      assertTrue(Arrays.equals(TorchvisionFixtures.floats(c.get("output")), out), "view " + checked);
      checked++;
    }
    assertEquals(2, checked);
  }

  @Test
  void sameSeedSameViewDifferentViewIndexDifferentView() {
    RgbViewAugmenter aug = new RgbViewAugmenter(RgbViewSettings.cifar());
    byte[] img = PilFixtures.pixels(0);
    float[] a = aug.augment(img, 37, 29, ViewRandom.forView(5, 2, 1234, 0));
    float[] b = aug.augment(img, 37, 29, ViewRandom.forView(5, 2, 1234, 0));
    float[] c = aug.augment(img, 37, 29, ViewRandom.forView(5, 2, 1234, 1));
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
  }

  /** Rendering another image in between (as a thread building a batch does) must not leak into a view. */
  @Test
  void viewDoesNotDependOnWhatTheThreadRenderedBefore() {
    for (ViewOrder order : ViewOrder.values()) {
      RgbViewAugmenter aug = new RgbViewAugmenter(small(order));
      byte[] img = PilFixtures.pixels(3);
      float[] first = aug.augment(img, 50, 61, ViewRandom.forView(1, 0, 7, 0));
      aug.augment(PilFixtures.pixels(1), 96, 96, ViewRandom.forView(1, 0, 8, 0));
      assertArrayEquals(first, aug.augment(img, 50, 61, ViewRandom.forView(1, 0, 7, 0)), order.name());
    }
  }

  @Test
  void jitterFirstOrderCropsTheJitteredFullImage() {
    // Contrast uses the mean of the whole image: jittering before or after the crop differs.
    RgbViewAugmenter first = new RgbViewAugmenter(small(ViewOrder.JITTER_FIRST));
    RgbViewAugmenter after = new RgbViewAugmenter(small(ViewOrder.CROP_FIRST));
    RgbViewAugmenter.Params p = new RgbViewAugmenter.Params(new CropBox(0, 0, 20, 20), false,
        new ColorJitter.Draw(new int[] {1, 0, 2, 3}, new double[] {1, 1.4, 1, 0}), false, 0, false);
    float[] a = new float[first.outputLength()];
    float[] b = new float[after.outputLength()];
    first.render(PilFixtures.pixels(1), 96, 96, p, a, 0);
    after.render(PilFixtures.pixels(1), 96, 96, p, b, 0);
    assertFalse(Arrays.equals(a, b));
  }

  @Test
  void wrongPixelCountIsRefused() {
    RgbViewAugmenter aug = new RgbViewAugmenter(RgbViewSettings.cifar());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> aug.augment(new byte[32 * 32], 32, 32, new SplittableRandom(1)));
    assertEquals("Cannot augment image: expected 32x32x3 = 3072 bytes: 1024", e.getMessage());
  }

  @Test
  void viewThatDoesNotFitTheBufferIsRefused() {
    RgbViewAugmenter aug = new RgbViewAugmenter(RgbViewSettings.cifar());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> aug.augment(new byte[3072], 32, 32, new SplittableRandom(1), new float[3072], 1));
    assertEquals("Cannot write view: 3072 floats at offset 1 do not fit an array of 3072", e.getMessage());
  }

  @Test
  void invalidSettingsAreRefused() {
    RgbViewSettings s = RgbViewSettings.cifar();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RgbViewSettings(s.order(), 32, 0.08, 1, 0.75, 1.33, s.interpolation(), 0.5, 0.8, 0.4, 0.4,
            0.4, 0.6, 0.2, 0, 0.1, 2, 0, s.mean(), s.std()));
    assertEquals("Cannot configure RGB view: hue strength must be in [0, 0.5]: 0.6", e.getMessage());
  }
}
