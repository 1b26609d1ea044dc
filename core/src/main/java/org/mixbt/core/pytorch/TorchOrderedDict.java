package org.mixbt.core.pytorch;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mixbt.core.pickle.PickleBuildable;

/**
 * {@code collections.OrderedDict} as a state_dict pickles it: entries in order, then BUILD with the instance
 * attributes ({@code _metadata}: module versions, which nothing here needs and which are dropped).
 */
public final class TorchOrderedDict extends LinkedHashMap<Object, Object> implements PickleBuildable {
  private static final long serialVersionUID = 1L;

  @Override
  public void setState(Object state) {
    if (!(state instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("OrderedDict state must be a dict of attributes, found "
          + (state == null ? "None" : state.getClass().getSimpleName()));
    }
  }
}
