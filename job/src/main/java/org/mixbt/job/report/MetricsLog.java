package org.mixbt.job.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The epoch lines of a run's {@code metrics.jsonl}, read by field name: whatever numeric fields the lines
 * carry can be plotted and tabled, and a field an epoch lacks is skipped for that epoch. Per-step loss terms
 * are the arrays {@code step_loss_bt} / {@code step_loss_mix}, the first of which is step {@code first_step}.
 */
public final class MetricsLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A plottable series: x and y of equal length, in line order. */
  public record Series(String name, double[] x, double[] y) {
    public boolean isEmpty() {
      return x.length == 0;
    }
  }

  private final String source;
  private final List<JsonNode> epochs;

  private MetricsLog(String source, List<JsonNode> epochs) {
    this.source = source;
    this.epochs = epochs;
  }

  /**
   * Parses the text of a metrics file; {@code source} names it in errors. Blank lines are ignored; any other
   * line must be one JSON object.
   */
  public static MetricsLog parse(String source, String text) {
    List<JsonNode> epochs = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(lines[i]);
      } catch (JsonProcessingException e) {
        throw new MetricsFormatException("Cannot read metrics " + source + ": line " + (i + 1) + " is not JSON: "
            + e.getOriginalMessage().lines().findFirst().orElse(""));
      }
      if (node == null || !node.isObject()) {
        throw new MetricsFormatException("Cannot read metrics " + source + ": line " + (i + 1)
            + " is not a JSON object: " + abbreviate(lines[i]));
      }
      epochs.add(node);
    }
    if (epochs.isEmpty()) {
      throw new MetricsFormatException("Cannot read metrics " + source + ": no epoch lines");
    }
    return new MetricsLog(source, epochs);
  }

  public String source() {
    return source;
  }

  public int size() {
    return epochs.size();
  }

  /** Names of the scalar fields (numbers, strings, booleans) in first-seen order: the table's columns. */
  public List<String> scalarFields() {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode e : epochs) {
      for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) e::fields) {
        if (f.getValue().isValueNode() && !f.getValue().isNull()) {
          names.add(f.getKey());
        }
      }
    }
    return List.copyOf(names);
  }

  /** The numeric fields whose name passes {@code filter}, in first-seen order. */
  public List<String> numericFields(Predicate<String> filter) {
    return scalarFields().stream().filter(filter).filter(this::isNumeric).toList();
  }

  /** The scalar value of {@code field} in epoch line {@code row}, or null when that line lacks it. */
  public JsonNode value(int row, String field) {
    JsonNode v = epochs.get(row).get(field);
    return v == null || v.isNull() || !v.isValueNode() ? null : v;
  }

  /** {@code field} against the epoch number (the line's {@code epoch}, else its position), lines lacking it skipped. */
  public Series perEpoch(String field) {
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < epochs.size(); i++) {
      JsonNode v = epochs.get(i).get(field);
      if (v != null && v.isNumber() && Double.isFinite(v.asDouble())) {
        points.add(new double[] {epochNumber(i), v.asDouble()});
      }
    }
    return series(field, points);
  }

  /** A per-step array (e.g. {@code step_loss_bt}) over every epoch against the global step; nulls skipped. */
  public Series perStep(String arrayField) {
    List<double[]> points = new ArrayList<>();
    for (JsonNode e : epochs) {
      JsonNode values = e.get(arrayField);
      JsonNode first = e.get("first_step");
      if (values == null || !values.isArray() || first == null || !first.isNumber()) {
        continue;
      }
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i).isNumber()) {
          points.add(new double[] {first.asLong() + i, values.get(i).asDouble()});
        }
      }
    }
    return series(arrayField, points);
  }

  private double epochNumber(int row) {
    JsonNode epoch = epochs.get(row).get("epoch");
    return epoch != null && epoch.isNumber() ? epoch.asDouble() : row + 1;
  }

  private boolean isNumeric(String field) {
    return epochs.stream().anyMatch(e -> e.get(field) != null && e.get(field).isNumber());
  }

  private static Series series(String name, List<double[]> points) {
    double[] x = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      x[i] = points.get(i)[0];
      y[i] = points.get(i)[1];
    }
    return new Series(name, x, y);
  }

  private static String abbreviate(String line) {
    return line.length() <= 60 ? line : line.substring(0, 60) + "...";
  }
}
