package org.mixbt.prep.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The registry of {@code PrepJob}'s subcommands and the help texts made from their declarations. */
public final class PrepCommands {
  private final Map<String, PrepCommand> commands = new LinkedHashMap<>();

  public PrepCommands(List<PrepCommand> commands) {
    for (PrepCommand c : commands) {
      if (this.commands.put(c.name(), c) != null) {
        throw new IllegalArgumentException("Cannot register prep command: name used twice: " + c.name());
      }
    }
  }

  /** The command called {@code name}; a UsageException listing the known ones if there is none. */
  public PrepCommand get(String name) {
    PrepCommand c = commands.get(name);
    if (c == null) {
      throw new UsageException("unknown command: " + name + " (known: " + String.join(", ", commands.keySet()) + ")");
    }
    return c;
  }

  /** {@code PrepJob --help}: one line per command. */
  public String help() {
    List<String> lines = new ArrayList<>();
    lines.add("Usage: PrepJob <command> [options]    (PrepJob <command> --help lists a command's options)");
    lines.add("Commands:");
    int width = commands.keySet().stream().mapToInt(String::length).max().orElse(0);
    commands.values().forEach(c -> lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %s", c.name(), c.summary())));
    lines.add("Exit status: 0 done, 2 usage or configuration error, 3 bad input data, 1 other failure.");
    return String.join("\n", lines);
  }

  /** {@code PrepJob <command> --help}: synopsis, then one line per option with its default. */
  public static String help(PrepCommand c) {
    StringBuilder synopsis = new StringBuilder("Usage: PrepJob " + c.name());
    for (PrepOption o : c.options()) {
      synopsis.append(o.required() ? " " + o.synopsis() : " [" + o.synopsis() + "]");
    }
    List<String> lines = new ArrayList<>(List.of(synopsis.toString(), "  " + c.summary()));
    int width = c.options().stream().mapToInt(o -> o.synopsis().length()).max().orElse(0);
    for (PrepOption o : c.options()) {
      String note = o.required() ? " (required)" : o.defaultValue() != null && !o.defaultValue().isEmpty() ? " (default " + o.defaultValue() + ")" : "";
      lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %s%s", o.synopsis(), o.help(), note));
    }
    lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %s", "--help", "print this message"));
    return String.join("\n", lines);
  }
}
