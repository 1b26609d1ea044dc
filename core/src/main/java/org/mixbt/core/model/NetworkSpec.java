package org.mixbt.core.model;

import java.io.Serializable;
import java.util.List;

/**
 * Shape of a Mixed Barlow Twins network: encoder (depth, stem, width) and projector.
 *
 * @param depth ResNet-18 (basic blocks) or ResNet-50 (bottleneck blocks)
 * @param stem conv1 and max-pool as the original sets them per dataset
 * @param baseWidth channels of conv1 and the first stage (64 in the paper; smaller for CPU runs and tests)
 * @param inputChannels image channels fed to conv1 (3: greyscale images are repeated, as the original)
 * @param imageSize side of the square training views
 * @param projector which projector head (bias, L2 normalisation)
 * @param projectorHidden widths of the hidden Linear-BN-ReLU layers ([512] small-data, [8192, 8192] ImageNet)
 * @param featureDim d, the projector output size (the original's feature_dim)
 * @param mixing whether the mixed view is a third input (Mixed Barlow Twins) or absent (plain)
 */
public record NetworkSpec(ResNetDepth depth, Stem stem, int baseWidth, int inputChannels, int imageSize,
    ProjectorKind projector, List<Integer> projectorHidden, int featureDim, boolean mixing)
    implements Serializable {

  public NetworkSpec {
    if (depth == null || stem == null || projector == null || projectorHidden == null) {
      throw new IllegalArgumentException("Cannot build network: depth, stem, projector and projectorHidden"
          + " must be given: " + depth + ", " + stem + ", " + projector + ", " + projectorHidden);
    }
    require(baseWidth, "baseWidth");
    require(inputChannels, "inputChannels");
    require(imageSize, "imageSize");
    require(featureDim, "featureDim");
    if (projectorHidden.isEmpty()) {
      throw new IllegalArgumentException("Cannot build network: projectorHidden must list at least one width");
    }
    projectorHidden.forEach(h -> require(h, "projectorHidden"));
    projectorHidden = List.copyOf(projectorHidden);
  }

  /** The small-data CIFAR-stem ResNet-18 with one projector hidden layer (the CPU demo's network). */
  public NetworkSpec(int baseWidth, int inputChannels, int imageSize, int projectorHidden, int featureDim,
      boolean mixing) {
    this(ResNetDepth.RESNET18, Stem.CIFAR, baseWidth, inputChannels, imageSize, ProjectorKind.SMALL,
        List.of(projectorHidden), featureDim, mixing);
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

  /** Size of the pooled encoder feature (512 or 2048 at width 64). */
  public long featureSize() {
    return depth.featureSize(baseWidth);
  }

  /** Width of the last hidden projector layer, the fan-in of the output Linear. */
  public int lastProjectorHidden() {
    return projectorHidden.get(projectorHidden.size() - 1);
  }

  /** The encoder this spec describes, for a minibatch of {@code views} stacked view groups. */
  public ResNetEncoder encoder(int views) {
    return new ResNetEncoder(depth, stem, baseWidth, inputChannels, views);
  }
}
