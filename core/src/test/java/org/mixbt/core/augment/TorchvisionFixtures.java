package org.mixbt.core.augment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads {@code fixtures/torchvision_resized_crop.json}, torchvision 0.14.1's own outputs written by
 * {@code fixtures/make_torchvision_fixtures.py} (regenerate with Debian's python3-torchvision).
 */
final class TorchvisionFixtures {
  private static final String RESOURCE = "fixtures/torchvision_resized_crop.json";
  private static JsonNode root;

  private TorchvisionFixtures() {}

  static synchronized JsonNode root() {
    if (root == null) {
      try (InputStream in = TorchvisionFixtures.class.getClassLoader().getResourceAsStream(RESOURCE)) {
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

  static float[] floats(JsonNode array) {
    float[] a = new float[array.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) array.get(i).asDouble();
    }
    return a;
  }
}
