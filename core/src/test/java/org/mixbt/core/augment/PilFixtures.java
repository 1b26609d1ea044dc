package org.mixbt.core.augment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Reads {@code fixtures/pil_ops.json}: torchvision 0.14.1 on Pillow 9.4.0 outputs written by
 * {@code fixtures/make_pil_fixtures.py} (regenerate with Debian bookworm's python3-pil/-torchvision).
 */
final class PilFixtures {
  private static final String RESOURCE = "fixtures/pil_ops.json";
  private static JsonNode root;

  private PilFixtures() {}

  static synchronized JsonNode root() {
    if (root == null) {
      try (InputStream in = PilFixtures.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("Cannot load fixture: no resource " + RESOURCE);
        }
        root = new ObjectMapper().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read fixture " + RESOURCE, e);
      }
    }
    return root;
  }

  static byte[] bytes(JsonNode base64) {
    return Base64.getDecoder().decode(base64.asText());
  }

  /** Image {@code index} of the fixture: {@code {height, width, pixels}}. */
  static JsonNode image(int index) {
    return root().get("images").get(index);
  }

  static byte[] pixels(int index) {
    return bytes(image(index).get("pixels"));
  }

  static int height(int index) {
    return image(index).get("height").asInt();
  }

  static int width(int index) {
    return image(index).get("width").asInt();
  }

  /** Index and value of the first differing byte, or "" when equal; for assertion messages. */
  static String firstDifference(byte[] expected, byte[] actual) {
    if (expected.length != actual.length) {
      return "length " + expected.length + " vs " + actual.length;
    }
    int count = 0;
    int first = -1;
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] != actual[i]) {
        count++;
        if (first < 0) {
          first = i;
        }
      }
    }
    return count == 0 ? "" : count + " bytes differ, first at " + first + ": expected " + (expected[first] & 0xff)
        + ", got " + (actual[first] & 0xff);
  }
}
