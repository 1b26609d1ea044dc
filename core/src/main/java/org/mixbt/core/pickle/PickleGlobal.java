package org.mixbt.core.pickle;

import net.razorvine.pickle.IObjectConstructor;

/**
 * An allowed global as it sits on the unpickling stack. Constructors that receive globals as arguments (numpy's
 * {@code _reconstruct} gets {@code numpy.ndarray}; PyTorch's storages name {@code torch.FloatStorage}) check
 * them with {@link #is}.
 */
public record PickleGlobal(String module, String name, IObjectConstructor constructor) {
  public boolean is(String module, String name) {
    return this.module.equals(module) && this.name.equals(name);
  }

  @Override
  public String toString() {
    return module + "." + name;
  }
}
