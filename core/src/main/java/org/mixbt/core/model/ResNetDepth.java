package org.mixbt.core.model;

/**
 * The two torchvision ResNets the paper uses: blocks per stage, and the block type with its channel
 * expansion (a stage of width w outputs w channels from basic blocks, 4w from bottleneck blocks).
 */
public enum ResNetDepth {
  RESNET18(new int[] {2, 2, 2, 2}, false),
  RESNET50(new int[] {3, 4, 6, 3}, true);

  private final int[] blocksPerStage;
  private final boolean bottleneck;

  ResNetDepth(int[] blocksPerStage, boolean bottleneck) {
    this.blocksPerStage = blocksPerStage;
    this.bottleneck = bottleneck;
  }

  public int blocks(int stage) {
    return blocksPerStage[stage];
  }

  public int stages() {
    return blocksPerStage.length;
  }

  public boolean bottleneck() {
    return bottleneck;
  }

  /** Output channels of a block of stage width w. */
  public long expansion() {
    return bottleneck ? 4 : 1;
  }

  /** Size of the pooled feature: 8w·expansion (512 or 2048 at w = 64). */
  public long featureSize(int baseWidth) {
    return 8L * baseWidth * expansion();
  }
}
