package org.mixbt.prep.cli;

/**
 * One option of a prep command, as the command declares it: {@code --name VALUE} or a flag {@code --name}.
 *
 * @param name the option as typed, e.g. "--input"
 * @param valueName placeholder shown in help ("DIR", "N"); null for a flag
 * @param required whether the command refuses to run without it
 * @param defaultValue value used when the option is absent (shown in help); null if none
 * @param help one line for {@code <command> --help}
 */
public record PrepOption(String name, String valueName, boolean required, String defaultValue, String help) {
  public PrepOption {
    if (name == null || !name.startsWith("--") || help == null) {
      throw new IllegalArgumentException("Cannot declare option: name must start with -- and help is needed: " + name);
    }
    if (required && defaultValue != null) {
      throw new IllegalArgumentException("Cannot declare option " + name + ": required with a default");
    }
  }

  /** An option that must be given, with a value. */
  public static PrepOption required(String name, String valueName, String help) {
    return new PrepOption(name, valueName, true, null, help);
  }

  /** An option with a value that may be left out; {@code defaultValue} may be null (then absent means unset). */
  public static PrepOption optional(String name, String valueName, String defaultValue, String help) {
    return new PrepOption(name, valueName, false, defaultValue, help);
  }

  /** An option without a value: present or not. */
  public static PrepOption flag(String name, String help) {
    return new PrepOption(name, null, false, null, help);
  }

  public boolean isFlag() {
    return valueName == null;
  }

  /** "--shards N" or "--overwrite", as shown in help. */
  String synopsis() {
    return isFlag() ? name : name + " " + valueName;
  }
}
