package org.mixbt.job;

import org.mixbt.core.augment.GreyscaleViewSettings;
import org.mixbt.core.augment.PilFilter;
import org.mixbt.core.augment.Rgb;
import org.mixbt.core.augment.RgbEvalSettings;
import org.mixbt.core.augment.RgbRecipe;
import org.mixbt.core.augment.RgbViewSettings;
import org.mixbt.core.augment.ViewRecipe;

/**
 * Binds the {@code mixbt.augmentation} section: {@code pipeline} names the recipe, each recipe has its own
 * subsection. Every subsection is read and checked (a mistake in an unused one is still a mistake), the
 * selected one is returned.
 */
final class AugmentationConfig {
  static final String[] PIPELINES = {"fashion-mnist", "cifar", "stl10", "tiny-imagenet", "imagenet"};

  private AugmentationConfig() {
  }

  static ViewRecipe read(ConfigReader r) {
    String pipeline = r.choice("pipeline", PIPELINES);
    ViewRecipe selected = null;
    for (String name : PIPELINES) {
      ViewRecipe recipe = name.equals("fashion-mnist") ? greyscale(r.child(name)) : rgb(name, r.child(name));
      if (name.equals(pipeline)) {
        selected = recipe;
      }
    }
    return selected;
  }

  private static GreyscaleViewSettings greyscale(ConfigReader r) {
    double[] scale = r.range("crop-scale");
    double[] ratio = r.range("crop-ratio");
    return build(r, () -> GreyscaleViewSettings.builder()
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
        .build());
  }

  private static RgbRecipe rgb(String name, ConfigReader r) {
    RgbViewSettings.ViewOrder order = r.enumValue("order", RgbViewSettings.ViewOrder.class);
    int size = r.intAtLeast("crop-size", 1);
    double[] scale = r.range("crop-scale");
    double[] ratio = r.range("crop-ratio");
    PilFilter filter = r.enumValue("interpolation", PilFilter.class);
    double flip = r.probability("flip-probability");
    double jitter = r.probability("jitter-probability");
    double brightness = r.doubleAtLeast("brightness", 0);
    double contrast = r.doubleAtLeast("contrast", 0);
    double saturation = r.doubleAtLeast("saturation", 0);
    double hue = r.doubleAtLeast("hue", 0);
    if (hue > 0.5) {
      throw r.bad("hue", hue, "must be in [0, 0.5]");
    }
    double grey = r.probability("grayscale-probability");
    double[] blur = probabilities(r, "blur-probability");
    double[] sigma = r.range("blur-sigma");
    double[] solarize = probabilities(r, "solarize-probability");
    Rgb mean = rgbTriple(r, "mean", false);
    Rgb std = rgbTriple(r, "std", true);
    ConfigReader e = r.child("eval");
    int resize = e.intAtLeast("resize", 0);
    PilFilter evalFilter = e.enumValue("interpolation", PilFilter.class);
    int crop = e.intAtLeast("crop", 0);
    return build(r, () -> {
      RgbViewSettings v1 = new RgbViewSettings(order, size, scale[0], scale[1], ratio[0], ratio[1], filter, flip,
          jitter, brightness, contrast, saturation, hue, grey, blur[0], sigma[0], sigma[1], solarize[0], mean, std);
      RgbViewSettings v2 = new RgbViewSettings(order, size, scale[0], scale[1], ratio[0], ratio[1], filter, flip,
          jitter, brightness, contrast, saturation, hue, grey, blur[1], sigma[0], sigma[1], solarize[1], mean, std);
      return new RgbRecipe(name, v1, v2, new RgbEvalSettings(resize, evalFilter, crop, size, mean, std));
    });
  }

  /** [view 1, view 2] probabilities. */
  private static double[] probabilities(ConfigReader r, String key) {
    double[] p = r.doubles(key, 2);
    for (double v : p) {
      if (!(v >= 0 && v <= 1)) {
        throw r.bad(key, java.util.Arrays.toString(p), "must be [view 1, view 2] probabilities in [0, 1]");
      }
    }
    return p;
  }

  private static Rgb rgbTriple(ConfigReader r, String key, boolean positive) {
    double[] v = r.doubles(key, 3);
    if (positive && !(v[0] > 0 && v[1] > 0 && v[2] > 0)) {
      throw r.bad(key, java.util.Arrays.toString(v), "must be three numbers > 0");
    }
    return new Rgb((float) v[0], (float) v[1], (float) v[2]);
  }

  /** Runs a recipe's own cross-checks, naming the section when one fails. */
  private static <T> T build(ConfigReader r, java.util.function.Supplier<T> recipe) {
    try {
      return recipe.get();
    } catch (ConfigException e) {
      throw e; // already names its key
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Cannot use " + r.path("") .replaceAll("\\.$", "") + ": " + e.getMessage(), e);
    }
  }
}
