package org.mixbt.core.augment;

import java.io.Serializable;

/**
 * A dataset's whole view recipe: the augmenter of each of the two training views (the same for the
 * small-data recipes, different for ImageNet's asymmetric pair) and the evaluation view. All produce square
 * views of {@link #outputSize()} with {@link #outputChannels()} channels, which fixes the network's input.
 */
public interface ViewRecipe extends Serializable {

  /** The augmenter of training view {@code view} (0 or 1). */
  ViewAugmenter augmenter(int view);

  /** The deterministic evaluation view. */
  EvalView evalView();

  int outputChannels();

  int outputSize();

  /** Checks a view index. */
  static void checkView(int view) {
    if (view != 0 && view != 1) {
      throw new IllegalArgumentException("Cannot pick a training view: index must be 0 or 1: " + view);
    }
  }
}
