package org.mixbt.core.model;

/**
 * The first layers of the ResNet, as the original code sets them per dataset. The small-data code
 * replaces torchvision's conv1 with a 3×3 stride-1 convolution for every dataset and drops the max-pool
 * for CIFAR only; the ImageNet code keeps torchvision's stem and builds the network with
 * {@code zero_init_residual=True}.
 */
public enum Stem {
  /** CIFAR-10/100: 3×3 stride-1 conv1, no max-pool. */
  CIFAR(3, 1, 1, false, false),
  /** STL-10 and Tiny-ImageNet: 3×3 stride-1 conv1, then torchvision's 3×3 stride-2 max-pool (padding 1). */
  STL(3, 1, 1, true, false),
  /** ImageNet: torchvision's 7×7 stride-2 conv1 (padding 3) and max-pool; last BN gamma of each block zero. */
  IMAGENET(7, 2, 3, true, true);

  private final int kernel;
  private final int stride;
  private final int padding;
  private final boolean maxPool;
  private final boolean zeroInitResidual;

  Stem(int kernel, int stride, int padding, boolean maxPool, boolean zeroInitResidual) {
    this.kernel = kernel;
    this.stride = stride;
    this.padding = padding;
    this.maxPool = maxPool;
    this.zeroInitResidual = zeroInitResidual;
  }

  public int kernel() {
    return kernel;
  }

  public int stride() {
    return stride;
  }

  public int padding() {
    return padding;
  }

  public boolean maxPool() {
    return maxPool;
  }

  /** torchvision's {@code zero_init_residual}: each residual branch starts as zero, each block as identity. */
  public boolean zeroInitResidual() {
    return zeroInitResidual;
  }
}
