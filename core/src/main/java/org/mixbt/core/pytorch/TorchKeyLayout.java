package org.mixbt.core.pytorch;

import java.util.Collection;
import java.util.List;

/**
 * How a checkpoint names the network's modules. The encoder is always torchvision's ResNet, the projector a
 * Sequential of Linear / BatchNorm1d / ReLU (index 3(i−1) is the i-th Linear, 3(i−1)+1 its BatchNorm).
 */
public enum TorchKeyLayout {
  /**
   * torchvision's own names ({@code conv1.weight}, {@code layer1.0.downsample.0.weight}; the classifier
   * {@code fc.*}), as in an exported backbone such as mix-bt's ImageNet {@code resnet50.pth}; a projector, if
   * present, as {@code projector.<i>}.
   */
  TORCHVISION("", false, "projector.", List.of()),
  /**
   * mix-bt's small-data {@code Model} (model.py), what its {@code *_model.pth} files hold: encoder {@code f.<i>},
   * the i-th of torchvision's children without {@code fc} (and without {@code maxpool} for CIFAR), projector
   * {@code g.<i>}.
   */
  MIXBT_SMALL("f.", true, "g.", List.of()),
  /**
   * Barlow Twins' / mix-bt's ImageNet {@code BarlowTwins} module: {@code backbone.<torchvision name>},
   * {@code projector.<i>}. Barlow Twins' module also holds {@code bn}, the affine-free BatchNorm1d the loss
   * standardises with; our loss standardises with batch statistics, so its running buffers are ignored (mix-bt's
   * ImageNet code has no {@code bn}).
   */
  BARLOW_TWINS("backbone.", false, "projector.", List.of("bn.running_mean", "bn.running_var", "bn.num_batches_tracked"));

  private final String encoderPrefix;
  private final boolean sequentialEncoder;
  private final String projectorPrefix;
  private final List<String> ignoredKeys;

  TorchKeyLayout(String encoderPrefix, boolean sequentialEncoder, String projectorPrefix, List<String> ignoredKeys) {
    this.encoderPrefix = encoderPrefix;
    this.sequentialEncoder = sequentialEncoder;
    this.projectorPrefix = projectorPrefix;
    this.ignoredKeys = ignoredKeys;
  }

  /** Keys outside encoder and projector that this layout's checkpoints may hold and that carry nothing we use. */
  List<String> ignoredKeys() {
    return ignoredKeys;
  }

  String encoderPrefix() {
    return encoderPrefix;
  }

  /** Whether encoder children are numbered (nn.Sequential of torchvision's children) rather than named. */
  boolean sequentialEncoder() {
    return sequentialEncoder;
  }

  String projectorPrefix() {
    return projectorPrefix;
  }

  /** {@link #MIXBT_SMALL} when a key starts with "f.", {@link #BARLOW_TWINS} with "backbone.", else torchvision. */
  public static TorchKeyLayout detect(Collection<String> keys) {
    if (keys.stream().anyMatch(k -> k.startsWith(MIXBT_SMALL.encoderPrefix))) {
      return MIXBT_SMALL;
    }
    if (keys.stream().anyMatch(k -> k.startsWith(BARLOW_TWINS.encoderPrefix))) {
      return BARLOW_TWINS;
    }
    return TORCHVISION;
  }
}
