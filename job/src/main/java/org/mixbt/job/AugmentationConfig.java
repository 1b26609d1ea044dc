package org.mixbt.job;

import org.mixbt.core.augment.GreyscaleViewSettings;

/** Binds the {@code mixbt.augmentation} section to the greyscale view recipe. */
final class AugmentationConfig {
  private AugmentationConfig() {
  }

  static GreyscaleViewSettings read(ConfigReader r) {
    double[] scale = r.range("crop-scale");
    double[] ratio = r.range("crop-ratio");
    try {
      return GreyscaleViewSettings.builder()
          .pad(r.intAtLeast("pad", 0))
          .outputSize(r.intAtLeast("crop-size", 1))
          .scale(scale[0], scale[1])
          .ratio(ratio[0], ratio[1])
          .flipProbability(r.probability("flip-probability"))
          .jitterProbability(r.probability("jitter-probability"))
          .brightness(r.doubleAtLeast("brightness", 0))
          .contrast(r.doubleAtLeast("contrast", 0))
          .normalisation((float) r.doubleAtLeast("mean", Double.NEGATIVE_INFINITY), (float) r.positive("std"))
          .outputChannels(r.intAtLeast("output-channels", 1))
          .build();
    } catch (ConfigException e) {
      // already names its key; only the recipe's own cross-checks need the section named
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Cannot use mixbt.augmentation: " + e.getMessage(), e);
    }
  }
}
