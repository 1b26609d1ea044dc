package org.mixbt.core.pickle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;

/**
 * The only Python globals ({@code module.name}) a {@link RestrictedUnpickler} may resolve, each with the Java
 * constructor that stands in for it. Anything else in a pickle (os.system, builtins.eval, …) is refused.
 *
 * <p>A constructor is called for REDUCE / NEWOBJ / OBJ / INST with the pickled arguments; a global that is only
 * passed as an argument (numpy.ndarray as {@code _reconstruct}'s first argument) may use {@link #marker}.
 */
public final class PickleAllowList {
  private final Map<String, IObjectConstructor> constructors;

  private PickleAllowList(Map<String, IObjectConstructor> constructors) {
    this.constructors = Collections.unmodifiableMap(new LinkedHashMap<>(constructors));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The constructor standing in for {@code module.name}, or null when it is not allowed. */
  IObjectConstructor get(String module, String name) {
    return constructors.get(module + "." + name);
  }

  /** The allowed globals, "module.name", in the order they were added. */
  public Set<String> names() {
    return constructors.keySet();
  }

  /** A constructor for a global that may appear as a value but never be called. */
  public static IObjectConstructor marker(String module, String name) {
    return args -> {
      throw new IllegalArgumentException("pickle calls " + module + "." + name + ", which may only be passed as a value");
    };
  }

  /** Builds an allow-list; later entries for the same global replace earlier ones. */
  public static final class Builder {
    private final Map<String, IObjectConstructor> constructors = new LinkedHashMap<>();

    public Builder allow(String module, String name, IObjectConstructor constructor) {
      if (module.isEmpty() || name.isEmpty() || constructor == null) {
        throw new IllegalArgumentException("Cannot allow pickle global: module, name and constructor are required: "
            + module + "." + name);
      }
      constructors.put(module + "." + name, constructor);
      return this;
    }

    /** Everything {@code other} allows, e.g. {@link NumpyPickles#ALLOW_LIST} inside a PyTorch list. */
    public Builder allowAll(PickleAllowList other) {
      constructors.putAll(other.constructors);
      return this;
    }

    public PickleAllowList build() {
      return new PickleAllowList(constructors);
    }
  }
}
