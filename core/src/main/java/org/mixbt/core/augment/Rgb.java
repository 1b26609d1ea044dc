package org.mixbt.core.augment;

import java.io.Serializable;

/** One float per RGB channel (a normalisation mean or standard deviation). */
public record Rgb(float r, float g, float b) implements Serializable {

  public float get(int channel) {
    return switch (channel) {
      case 0 -> r;
      case 1 -> g;
      case 2 -> b;
      default -> throw new IndexOutOfBoundsException("Cannot read channel " + channel + " of an RGB triple");
    };
  }

  static Rgb of(double r, double g, double b) {
    return new Rgb((float) r, (float) g, (float) b);
  }
}
