package org.mixbt.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One golden case from {@code src/test/resources/golden/} (copied from the project's shared reference
 * files; see the README there). Arrays are stored as {@code {"shape", "dtype", "data"}} in row-major
 * order, non-finite numbers as the strings "NaN" / "Infinity".
 */
public final class GoldenCase {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final JsonNode root;

  private GoldenCase(String name, JsonNode root) {
    this.name = name;
    this.root = root;
  }

  /** Loads {@code golden/<fileName>} from the test class path. */
  public static GoldenCase load(String fileName) {
    String resource = "golden/" + fileName;
    try (InputStream in = GoldenCase.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("Cannot load golden case: no resource " + resource);
      }
      return new GoldenCase(fileName, JSON.readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read golden case " + resource, e);
    }
  }

  public String name() {
    return name;
  }

  /** The raw JSON node at a slash-separated path, e.g. {@code "outputs/loss_bt"}. */
  public JsonNode node(String path) {
    JsonNode node = root;
    for (String part : path.split("/")) {
      node = node.get(part);
      if (node == null) {
        throw new IllegalArgumentException("Golden case " + name + " has no field " + path);
      }
    }
    return node;
  }

  public boolean has(String path) {
    JsonNode node = root;
    for (String part : path.split("/")) {
      node = node.get(part);
      if (node == null) {
        return false;
      }
    }
    return true;
  }

  /** A scalar, with "NaN"/"Infinity"/"-Infinity" strings mapped to the doubles they name. */
  public double scalar(String path) {
    return toDouble(node(path));
  }

  /** An array field as a double-precision INDArray of its recorded shape. */
  public INDArray array(String path) {
    return array(path, DataType.DOUBLE);
  }

  public INDArray array(String path, DataType type) {
    JsonNode arr = node(path);
    JsonNode data = arr.get("data");
    double[] values = new double[data.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = toDouble(data.get(i));
    }
    long[] shape = longs(arr.get("shape"));
    return Nd4j.create(values, shape, DataType.DOUBLE).castTo(type);
  }

  /** An integer array field (indices, labels) flattened. */
  public int[] ints(String path) {
    JsonNode arr = node(path);
    JsonNode data = arr.has("data") ? arr.get("data") : arr;
    int[] values = new int[data.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = data.get(i).asInt();
    }
    return values;
  }

  public long[] shape(String path) {
    return longs(node(path).get("shape"));
  }

  private static long[] longs(JsonNode node) {
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = node.get(i).asLong();
    }
    return values;
  }

  private static double toDouble(JsonNode node) {
    if (node.isTextual()) {
      switch (node.asText()) {
        case "NaN": return Double.NaN;
        case "Infinity": return Double.POSITIVE_INFINITY;
        case "-Infinity": return Double.NEGATIVE_INFINITY;
        default: throw new IllegalArgumentException("Not a number in golden file: " + node.asText());
      }
    }
    return node.asDouble();
  }
}
