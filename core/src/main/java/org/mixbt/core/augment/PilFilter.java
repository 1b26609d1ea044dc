package org.mixbt.core.augment;

/**
 * The two resampling filters the original's transforms use on PIL images, with Pillow's kernels and
 * supports ({@code libImaging/Resample.c}): {@link #BILINEAR} (triangle, support 1; torchvision's default for
 * RandomResizedCrop and Resize) and {@link #BICUBIC} (Keys cubic with a = -0.5, support 2).
 */
public enum PilFilter {
  BILINEAR(1.0) {
    @Override
    double weight(double x) {
      double a = Math.abs(x);
      return a < 1.0 ? 1.0 - a : 0.0;
    }
  },
  BICUBIC(2.0) {
    @Override
    double weight(double x) {
      double a = Math.abs(x);
      if (a < 1.0) {
        return ((CUBIC_A + 2.0) * a - (CUBIC_A + 3.0)) * a * a + 1;
      }
      if (a < 2.0) {
        return (((a - 5) * a + 8) * a - 4) * CUBIC_A;
      }
      return 0.0;
    }
  };

  private static final double CUBIC_A = -0.5;

  private final double support;

  PilFilter(double support) {
    this.support = support;
  }

  /** Half-width of the kernel at scale 1, in input pixels. */
  double support() {
    return support;
  }

  /** The kernel at distance {@code x} (in output-pixel units when downscaling). */
  abstract double weight(double x);
}
