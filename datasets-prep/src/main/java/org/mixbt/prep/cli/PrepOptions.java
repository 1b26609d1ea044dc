package org.mixbt.prep.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's options as parsed from the command line, strictly: an undeclared option, a missing value, a
 * repeated option or a missing required option is a {@link UsageException}. Typed getters convert on
 * demand and report a bad value the same way, naming the option.
 */
public final class PrepOptions {
  private final Map<String, PrepOption> declared;
  private final Map<String, String> given;

  private PrepOptions(Map<String, PrepOption> declared, Map<String, String> given) {
    this.declared = declared;
    this.given = given;
  }

  /** Parses {@code args} (the words after the command name) against {@code options}. */
  public static PrepOptions parse(List<PrepOption> options, List<String> args) {
    Map<String, PrepOption> declared = new LinkedHashMap<>();
    options.forEach(o -> declared.put(o.name(), o));
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      PrepOption o = declared.get(a);
      if (o == null) {
        throw new UsageException("unknown argument: " + a);
      }
      if (given.containsKey(a)) {
        throw new UsageException("option given twice: " + a);
      }
      if (o.isFlag()) {
        given.put(a, "true");
      } else {
        // A value never starts with "--": "--input --output o" is a forgotten value, not a folder named "--output".
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          throw new UsageException("missing value for " + a);
        }
        given.put(a, args.get(++i));
      }
    }
    for (PrepOption o : options) {
      if (o.required() && !given.containsKey(o.name())) {
        throw new UsageException("missing required option " + o.name());
      }
    }
    return new PrepOptions(declared, given);
  }

  /** The value given, else the default; null when neither. */
  public String string(String name) {
    PrepOption o = option(name);
    return given.getOrDefault(name, o.defaultValue());
  }

  /** The value as a local path; null when absent without default. */
  public Path path(String name) {
    String s = string(name);
    return s == null ? null : Path.of(s);
  }

  public boolean flag(String name) {
    option(name);
    return given.containsKey(name);
  }

  /** An int of at least {@code min}. */
  public int intAtLeast(String name, int min) {
    long v = longValue(name);
    if (v < min || v > Integer.MAX_VALUE) {
      throw new UsageException(name + " must be at least " + min + (v > Integer.MAX_VALUE ? " and fit an int" : "")
          + ": " + v);
    }
    return (int) v;
  }

  public long longValue(String name) {
    String s = string(name);
    if (s == null) {
      throw new UsageException("missing required option " + name);
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new UsageException("not an integer for " + name + ": " + s);
    }
  }

  /** The value, which must be one of {@code allowed}. */
  public String oneOf(String name, List<String> allowed) {
    String s = string(name);
    if (s != null && !allowed.contains(s)) {
      throw new UsageException("unknown value for " + name + ": " + s + " (known: " + String.join(", ", allowed) + ")");
    }
    return s;
  }

  private PrepOption option(String name) {
    PrepOption o = declared.get(name);
    if (o == null) {
      // A command asked for an option it did not declare: a bug in the command, not in the user's input.
      throw new IllegalStateException("option not declared by this command: " + name);
    }
    return o;
  }
}
