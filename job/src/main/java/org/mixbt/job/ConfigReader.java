package org.mixbt.job;

import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

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
    return new ConfigReader(get(key, config::getConfig), prefix + "." + key);
  }

  ConfigException bad(String key, Object value, String rule) {
    return new ConfigException("Cannot use " + prefix + "." + key + " = " + value + ": " + rule);
  }

  /** Reads with Typesafe's getter, re-throwing its type errors with the full key (it names only the last part). */
  private <T> T get(String key, Function<String, T> getter) {
    try {
      return getter.apply(key);
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("Cannot use " + prefix + "." + key + ": " + e.getMessage(), e);
    }
  }

  boolean bool(String key) {
    return get(key, config::getBoolean);
  }

  /** A non-empty list of integers, each > 0. */
  List<Integer> positiveIntList(String key) {
    List<Integer> v = get(key, config::getIntList);
    if (v.isEmpty() || v.stream().anyMatch(x -> x <= 0)) {
      throw bad(key, v, "must be a non-empty list of integers > 0");
    }
    return v;
  }

  /** A non-empty list of distinct strings, each one of {@code allowed}. */
  List<String> subsetOf(String key, List<String> allowed) {
    List<String> v = get(key, config::getStringList);
    if (v.isEmpty() || !allowed.containsAll(v) || v.stream().distinct().count() != v.size()) {
      throw bad(key, v, "must be a non-empty list of distinct values from " + allowed);
    }
    return List.copyOf(v);
  }

  long anyLong(String key) {
    return get(key, config::getLong);
  }

  int intAtLeast(String key, int min) {
    int v = get(key, config::getInt);
    if (v < min) {
      throw bad(key, v, "must be >= " + min);
    }
    return v;
  }

  long longAtLeast(String key, long min) {
    long v = get(key, config::getLong);
    if (v < min) {
      throw bad(key, v, "must be >= " + min);
    }
    return v;
  }

  double doubleAtLeast(String key, double min) {
    double v = get(key, config::getDouble);
    if (!(v >= min) || Double.isInfinite(v)) {
      throw bad(key, v, "must be a finite number >= " + min);
    }
    return v;
  }

  double positive(String key) {
    double v = get(key, config::getDouble);
    if (!(v > 0) || Double.isInfinite(v)) {
      throw bad(key, v, "must be a finite number > 0");
    }
    return v;
  }

  double probability(String key) {
    double v = get(key, config::getDouble);
    if (!(v >= 0 && v <= 1)) {
      throw bad(key, v, "must be a probability in [0, 1]");
    }
    return v;
  }

  /** A two-element [min, max] list with 0 &lt; min &lt;= max. */
  double[] range(String key) {
    List<Double> v = get(key, config::getDoubleList);
    if (v.size() != 2 || !(v.get(0) > 0) || !(v.get(0) <= v.get(1)) || Double.isInfinite(v.get(1))) {
      throw bad(key, v, "must be [min, max] with 0 < min <= max");
    }
    return new double[] {v.get(0), v.get(1)};
  }

  /** A list of exactly {@code n} finite numbers. */
  double[] doubles(String key, int n) {
    List<Double> v = get(key, config::getDoubleList);
    if (v.size() != n || v.stream().anyMatch(d -> !Double.isFinite(d))) {
      throw bad(key, v, "must be a list of " + n + " finite numbers");
    }
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The full name of {@code key} in this section, for messages. */
  String path(String key) {
    return prefix + "." + key;
  }

  /** A number in [0, 1), e.g. a momentum. */
  double probabilityBelowOne(String key) {
    double v = get(key, config::getDouble);
    if (!(v >= 0 && v < 1)) {
      throw bad(key, v, "must be in [0, 1)");
    }
    return v;
  }

  /** A list of epochs, each >= 0, in ascending order (may be empty). */
  List<Integer> ascendingEpochs(String key) {
    List<Integer> v = get(key, config::getIntList);
    for (int i = 0; i < v.size(); i++) {
      if (v.get(i) < 0 || (i > 0 && v.get(i) < v.get(i - 1))) {
        throw bad(key, v, "must be ascending epochs >= 0");
      }
    }
    return List.copyOf(v);
  }

  String string(String key) {
    return get(key, config::getString);
  }

  String nonEmpty(String key) {
    String v = get(key, config::getString);
    if (v.isBlank()) {
      throw bad(key, "\"\"", "must not be empty");
    }
    return v;
  }

  String choice(String key, String... allowed) {
    String v = get(key, config::getString);
    if (!Arrays.asList(allowed).contains(v)) {
      throw bad(key, "\"" + v + "\"", "must be one of " + String.join(", ", allowed));
    }
    return v;
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    String v = get(key, config::getString);
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
        return e;
      }
    }
    throw bad(key, "\"" + v + "\"", "must be one of "
        + Arrays.toString(type.getEnumConstants()).toLowerCase().replace('_', '-'));
  }
}
