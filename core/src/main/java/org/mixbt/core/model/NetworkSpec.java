package org.mixbt.core.model;

import java.io.Serializable;

/**
 * Shape of the small-data Mixed Barlow Twins network.
 *
 * @param baseWidth channels of the first ResNet stage (64 in the paper, 16 for the CPU demo)
 * @param inputChannels image channels fed to conv1 (3: greyscale images are repeated, as the original)
 * @param imageSize side of the square training views
 * @param projectorHidden width of the projector's hidden layer (512 in the original)
 * @param featureDim d, the projector output size (the original's feature_dim)
 * @param mixing whether the mixed view is a third input (Mixed Barlow Twins) or absent (plain)
 */
public record NetworkSpec(int baseWidth, int inputChannels, int imageSize, int projectorHidden,
    int featureDim, boolean mixing) implements Serializable {

  public NetworkSpec {
    require(baseWidth, "baseWidth");
    require(inputChannels, "inputChannels");
    require(imageSize, "imageSize");
    require(projectorHidden, "projectorHidden");
    require(featureDim, "featureDim");
  }

  private static void require(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException("Cannot build network: " + name + " must be positive: " + value);
    }
  }

  /** Views per training example: x1, x2 and, when mixing, their mixture. */
  public int views() {
    return mixing ? 3 : 2;
  }
}
