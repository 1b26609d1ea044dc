package org.mixbt.core.model;

/** The two projector heads of the original code. */
public enum ProjectorKind {
  /**
   * Small-data code ({@code model.py}): {@code Linear(no bias) → BN → ReLU} per hidden layer, then
   * {@code Linear(bias)}, rows L2-normalised.
   */
  SMALL(true, true),
  /**
   * ImageNet code ({@code main_imagenet.py}, as Barlow Twins' {@code main.py}): {@code Linear(no bias) → BN →
   * ReLU} per hidden layer, then {@code Linear(no bias)}; no L2 normalisation (the loss standardises).
   */
  IMAGENET(false, false);

  private final boolean outputBias;
  private final boolean l2Normalised;

  ProjectorKind(boolean outputBias, boolean l2Normalised) {
    this.outputBias = outputBias;
    this.l2Normalised = l2Normalised;
  }

  public boolean outputBias() {
    return outputBias;
  }

  public boolean l2Normalised() {
    return l2Normalised;
  }
}
