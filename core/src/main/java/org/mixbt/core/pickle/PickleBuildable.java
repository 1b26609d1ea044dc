package org.mixbt.core.pickle;

/**
 * An object a pickle may complete with BUILD (Python's {@code __setstate__}). The restricted unpickler
 * refuses BUILD on anything else, so no method is ever looked up by a name taken from the file.
 */
public interface PickleBuildable {
  /** Applies the pickled state; throws IllegalArgumentException when the state has an unexpected form. */
  void setState(Object state);
}
