package org.mixbt.job;

import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.List;

/**
 * Typed, range-checked reads from one section of the configuration. Every error message names the full
 * key (e.g. {@code mixbt.training.batch-size}) and the rejected value.
 */
final class ConfigReader {
  private final Config config;
  private final String prefix;

  ConfigReader(Config config, String prefix) {
    this.config = config;
    this.prefix = prefix;
  }

  ConfigReader child(String key) {
    return new ConfigReader(config.getConfig(key), prefix + "." + key);
  }

  private ConfigException bad(String key, Object value, String rule) {
    return new ConfigException("Cannot use " + prefix + "." + key + " = " + value + ": " + rule);
  }

  boolean bool(String key) {
    return config.getBoolean(key);
  }

  long anyLong(String key) {
    return config.getLong(key);
  }

  int intAtLeast(String key, int min) {
    int v = config.getInt(key);
    if (v < min) {
      throw bad(key, v, "must be >= " + min);
    }
    return v;
  }

  long longAtLeast(String key, long min) {
    long v = config.getLong(key);
    if (v < min) {
      throw bad(key, v, "must be >= " + min);
    }
    return v;
  }

  double doubleAtLeast(String key, double min) {
    double v = config.getDouble(key);
    if (!(v >= min) || Double.isInfinite(v)) {
      throw bad(key, v, "must be a finite number >= " + min);
    }
    return v;
  }

  double positive(String key) {
    double v = config.getDouble(key);
    if (!(v > 0) || Double.isInfinite(v)) {
      throw bad(key, v, "must be a finite number > 0");
    }
    return v;
  }

  double probability(String key) {
    double v = config.getDouble(key);
    if (!(v >= 0 && v <= 1)) {
      throw bad(key, v, "must be a probability in [0, 1]");
    }
    return v;
  }

  /** A two-element [min, max] list with 0 &lt; min &lt;= max. */
  double[] range(String key) {
    List<Double> v = config.getDoubleList(key);
    if (v.size() != 2 || !(v.get(0) > 0) || !(v.get(0) <= v.get(1)) || Double.isInfinite(v.get(1))) {
      throw bad(key, v, "must be [min, max] with 0 < min <= max");
    }
    return new double[] {v.get(0), v.get(1)};
  }

  String string(String key) {
    return config.getString(key);
  }

  String nonEmpty(String key) {
    String v = config.getString(key);
    if (v.isBlank()) {
      throw bad(key, "\"\"", "must not be empty");
    }
    return v;
  }

  String choice(String key, String... allowed) {
    String v = config.getString(key);
    if (!Arrays.asList(allowed).contains(v)) {
      throw bad(key, "\"" + v + "\"", "must be one of " + String.join(", ", allowed));
    }
    return v;
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    String v = config.getString(key);
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v)) {
        return e;
      }
    }
    throw bad(key, "\"" + v + "\"", "must be one of " + Arrays.toString(type.getEnumConstants()).toLowerCase());
  }
}
