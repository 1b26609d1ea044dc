package org.mixbt.core.loss;

/**
 * The two code paths of the original, where they weigh the mix term differently: main.py's
 * {@code loss_mix = mixup_loss_scale · λ · (‖C_m1 − C_m1_gt‖² + ‖C_m2 − C_m2_gt‖²)} and main_imagenet.py's
 * {@code lambda_mixup(step) · 0.5 · λ · (…)}. The mix scale of a run is the first's
 * {@code mixup_loss_scale} or the second's {@code lambda_mixup}; {@link #factor()} is the constant in front.
 */
public enum LossVariant {
  /** main.py (CIFAR-10/100, STL-10, Tiny-ImageNet). */
  SMALL_DATA(1.0),
  /** main_imagenet.py: the extra ½. */
  IMAGENET(0.5);

  private final double factor;

  LossVariant(double factor) {
    this.factor = factor;
  }

  public double factor() {
    return factor;
  }
}
