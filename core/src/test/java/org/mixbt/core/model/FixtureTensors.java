package org.mixbt.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a fixture written by {@code fixtures/forward_parity/make_fixtures.py}: {@code <name>.bin} holds
 * little-endian float32 ({@code <f4}) or float64 ({@code <f8}) tensors back to back, {@code <name>.json}
 * maps each tensor name to its shape, dtype and byte offset.
 */
final class FixtureTensors {
  private static final String ROOT = "fixtures/forward_parity/";

  private FixtureTensors() {
  }

  static Map<String, INDArray> load(String name) {
    ByteBuffer data = ByteBuffer.wrap(resource(name + ".bin")).order(ByteOrder.LITTLE_ENDIAN);
    Map<String, INDArray> tensors = new LinkedHashMap<>();
    try {
      JsonNode index = new ObjectMapper().readTree(resource(name + ".json")).get("tensors");
      for (Iterator<Map.Entry<String, JsonNode>> it = index.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        long[] shape = new long[e.getValue().get("shape").size()];
        int count = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = e.getValue().get("shape").get(i).asLong();
          count *= (int) shape[i];
        }
        data.position(e.getValue().get("offset").asInt());
        String dtype = e.getValue().get("dtype").asText();
        INDArray t;
        if (dtype.equals("<f8")) {
          double[] values = new double[count];
          data.asDoubleBuffer().get(values);
          t = Nd4j.create(values, shape, 'c');
        } else if (dtype.equals("<f4")) {
          float[] values = new float[count];
          data.asFloatBuffer().get(values);
          t = Nd4j.create(values, shape, 'c');
        } else {
          throw new IllegalArgumentException("Cannot read fixture " + ROOT + name + ".json: tensor " + e.getKey()
              + " has an unknown dtype: " + dtype);
        }
        tensors.put(e.getKey(), t);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read fixture index " + ROOT + name + ".json", e);
    }
    return tensors;
  }

  private static byte[] resource(String file) {
    try (InputStream in = FixtureTensors.class.getClassLoader().getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalArgumentException("Cannot load fixture: no resource " + ROOT + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read fixture " + ROOT + file, e);
    }
  }
}
