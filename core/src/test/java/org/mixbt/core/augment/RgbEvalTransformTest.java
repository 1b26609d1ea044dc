package org.mixbt.core.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Evaluation views; the resize + centre crop values themselves are checked in {@link PilOpsTest}. */
class RgbEvalTransformTest {

  @Test
  void plainViewIsToTensorNormalize() {
    RgbViewSettings cifar = RgbViewSettings.cifar();
    byte[] img = new byte[32 * 32 * 3];
    for (int i = 0; i < img.length; i++) {
      img[i] = (byte) (i * 7);
    }
    float[] out = new float[3 * 32 * 32];
    RgbRecipe.cifar().evalView().apply(img, 32, 32, out, 0);
    float[] expected = new float[out.length];
    RgbOps.toNormalisedChw(img, 32, 32, RgbOps.normalisationTables(cifar.mean(), cifar.std()), expected, 0);
    assertArrayEquals(expected, out);
    // channel 0 of pixel 5 is byte 15 of the HWC image
    assertEquals((((15 * 7) & 0xff) / 255f - 0.4914f) / 0.2023f, out[5]);
  }

  @Test
  void stlEvalTakes96PixelImagesTo64() {
    float[] out = new float[3 * 64 * 64];
    RgbRecipe.stl10().evalView().apply(PilFixtures.pixels(1), 96, 96, out, 0);
    // the same as the fixture's Resize(70, bicubic) + CenterCrop(64), normalised with STL's statistics
    byte[] expected = PilFixtures.bytes(PilFixtures.root().get("resize_centre_crop").get(0).get("output"));
    float[][] t = RgbOps.normalisationTables(RgbViewSettings.stl10().mean(), RgbViewSettings.stl10().std());
    float[] want = new float[out.length];
    RgbOps.toNormalisedChw(expected, 64, 64, t, want, 0);
    assertArrayEquals(want, out);
  }

  @Test
  void imageOfTheWrongSizeIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RgbRecipe.cifar().evalView().apply(new byte[40 * 40 * 3], 40, 40, new float[3072], 0));
    assertEquals("Cannot make evaluation view: a 40x40 image gives 40x40, the network takes 32x32", e.getMessage());
  }

  @Test
  void imageSmallerThanTheCropIsRefused() {
    RgbEvalTransform t = new RgbEvalTransform(new RgbEvalSettings(0, PilFilter.BICUBIC, 64, 64,
        new Rgb(0, 0, 0), new Rgb(1, 1, 1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.apply(new byte[50 * 70 * 3], 50, 70, new float[3 * 64 * 64], 0));
    assertEquals("Cannot make evaluation view: image 50x70 (after resizing) is smaller than the centre crop 64",
        e.getMessage());
  }

  @Test
  void shorterSideRuleMatchesTorchvision() {
    assertArrayEquals(new int[] {256, 341}, RgbEvalTransform.resizedSize(375, 500, 256));
    assertArrayEquals(new int[] {341, 256}, RgbEvalTransform.resizedSize(500, 375, 256));
    assertArrayEquals(new int[] {70, 70}, RgbEvalTransform.resizedSize(96, 96, 70));
  }
}
