package org.mixbt.core.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Every uint8 op against torchvision-on-PIL output (fixtures/pil_ops.json), byte for byte: Pillow's
 * resampling, blending, HSV and box blur are integer or float-exact algorithms, reproduced step by step.
 */
class PilOpsTest {

  @Test
  void resizedCropEqualsPilBilinearAndBicubic() {
    int checked = 0;
    for (JsonNode c : PilFixtures.root().get("resized_crop")) {
      int i = c.get("image").asInt();
      int oh = c.get("outHeight").asInt();
      int ow = c.get("outWidth").asInt();
      byte[] out = new byte[oh * ow * 3];
      PilFilter filter = PilFilter.valueOf(c.get("interpolation").asText().toUpperCase());
      PilResize.resize(PilFixtures.pixels(i), PilFixtures.height(i), PilFixtures.width(i), 3, c.get("top").asInt(),
          c.get("left").asInt(), c.get("boxHeight").asInt(), c.get("boxWidth").asInt(), oh, ow, filter, out);
      assertEquals("", PilFixtures.firstDifference(PilFixtures.bytes(c.get("output")), out), c.toString()
          .substring(0, 150));
      checked++;
    }
    assertEquals(22, checked);
  }

  @Test
  void resizeAndCentreCropEqualTorchvision() {
    for (JsonNode c : PilFixtures.root().get("resize_centre_crop")) {
      int i = c.get("image").asInt();
      int crop = c.get("crop").asInt();
      PilFilter filter = PilFilter.valueOf(c.get("interpolation").asText().toUpperCase());
      Rgb mean = new Rgb(0f, 0f, 0f);
      Rgb std = new Rgb(1f / 255f, 1f / 255f, 1f / 255f);
      RgbEvalTransform t = new RgbEvalTransform(new RgbEvalSettings(c.get("size").asInt(), filter, crop, crop,
          mean, std));
      float[] out = new float[3 * crop * crop];
      t.apply(PilFixtures.pixels(i), PilFixtures.height(i), PilFixtures.width(i), out, 0);
      assertEquals("", PilFixtures.firstDifference(PilFixtures.bytes(c.get("output")), hwcBytes(out, crop, crop)),
          c.get("size") + "/" + crop + "/" + filter);
    }
  }

  @Test
  void flipEqualsHflip() {
    for (JsonNode c : PilFixtures.root().get("hflip")) {
      int i = c.get("image").asInt();
      byte[] img = PilFixtures.pixels(i);
      RgbOps.flipHorizontal(img, PilFixtures.height(i), PilFixtures.width(i));
      assertArrayEqualsBytes(c.get("output"), img, "hflip image " + i);
    }
  }

  @Test
  void colourAdjustmentsEqualImageEnhanceAndAdjustHue() {
    int checked = 0;
    for (JsonNode c : PilFixtures.root().get("adjust")) {
      int i = c.get("image").asInt();
      byte[] img = PilFixtures.pixels(i);
      int n = PilFixtures.height(i) * PilFixtures.width(i);
      double f = c.get("factor").asDouble();
      String op = c.get("op").asText();
      switch (op) {
        case "brightness" -> PilColour.brightness(img, n, f);
        case "contrast" -> PilColour.contrast(img, n, f);
        case "saturation" -> PilColour.saturation(img, n, f);
        default -> PilColour.hue(img, n, f);
      }
      assertArrayEqualsBytes(c.get("output"), img, op + " " + f + " on image " + i);
      checked++;
    }
    assertEquals(46, checked);
  }

  @Test
  void greyscaleEqualsConvertL() {
    for (JsonNode c : PilFixtures.root().get("grayscale")) {
      int i = c.get("image").asInt();
      byte[] img = PilFixtures.pixels(i);
      PilColour.greyscale(img, PilFixtures.height(i) * PilFixtures.width(i));
      assertArrayEqualsBytes(c.get("output"), img, "grayscale image " + i);
    }
  }

  @Test
  void gaussianBlurEqualsPilFilter() {
    int checked = 0;
    for (JsonNode c : PilFixtures.root().get("gaussian_blur")) {
      int i = c.get("image").asInt();
      byte[] img = PilFixtures.pixels(i);
      double sigma = c.get("sigma").asDouble();
      PilGaussianBlur.blur(img, PilFixtures.height(i), PilFixtures.width(i), sigma);
      assertArrayEqualsBytes(c.get("output"), img, "blur sigma " + sigma + " image " + i);
      checked++;
    }
    assertEquals(21, checked);
  }

  @Test
  void solarizeEqualsImageOps() {
    for (JsonNode c : PilFixtures.root().get("solarize")) {
      int i = c.get("image").asInt();
      byte[] img = PilFixtures.pixels(i);
      RgbOps.solarize(img, PilFixtures.height(i) * PilFixtures.width(i));
      assertArrayEqualsBytes(c.get("output"), img, "solarize image " + i);
    }
  }

  /** ToTensor + Normalize in float32: the same float operations, so equal bit for bit. */
  @Test
  void normalisationEqualsToTensorNormalize() {
    for (JsonNode c : PilFixtures.root().get("to_tensor")) {
      int i = c.get("image").asInt();
      int h = PilFixtures.height(i);
      int w = PilFixtures.width(i);
      float[][] t = RgbOps.normalisationTables(rgb(c.get("mean")), rgb(c.get("std")));
      float[] out = new float[3 * h * w];
      RgbOps.toNormalisedChw(PilFixtures.pixels(i), h, w, t, out, 0);
      assertTrue(Arrays.equals(TorchvisionFixtures.floats(c.get("output")), out), "to_tensor image " + i);
    }
  }

  static Rgb rgb(JsonNode a) {
    return new Rgb((float) a.get(0).asDouble(), (float) a.get(1).asDouble(), (float) a.get(2).asDouble());
  }

  /** Undoes the x / 255 scaling of a view normalised with mean 0, std 1/255 (exact for these values). */
  static byte[] hwcBytes(float[] chw, int h, int w) {
    byte[] out = new byte[h * w * 3];
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < h * w; p++) {
        out[p * 3 + c] = (byte) Math.round(chw[c * h * w + p] / 255f * 255f);
      }
    }
    return out;
  }

  private static void assertArrayEqualsBytes(JsonNode expected, byte[] actual, String what) {
    assertEquals("", PilFixtures.firstDifference(PilFixtures.bytes(expected), actual), what);
  }
}
