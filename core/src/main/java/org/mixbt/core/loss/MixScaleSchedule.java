package org.mixbt.core.loss;

import java.io.Serializable;
import java.util.Objects;

/**
 * The weight of the mix term relative to λ at a global step: main_imagenet.py's {@code adjust_mixup_scale}
 * times the variant's constant,
 * <pre>
 *   step &lt; warmup:  factor · scale · step / warmup
 *   otherwise:      factor · scale
 * </pre>
 * with {@code warmup} = warm-up epochs × steps per epoch (main_imagenet.py: 10 epochs) and the step counted
 * from 0 at the first batch of the run, as {@link StepLabels} carry it. {@code warmupSteps = 0} is main.py's
 * constant weight.
 *
 * @param scale main.py's {@code mixup_loss_scale} or main_imagenet.py's {@code lambda_mixup}
 * @param variant which code path's constant factor applies
 * @param warmupSteps steps of linear warm-up from 0 (0 = none)
 */
public record MixScaleSchedule(double scale, LossVariant variant, long warmupSteps) implements Serializable {

  public MixScaleSchedule {
    Objects.requireNonNull(variant, "variant");
    if (!(Double.isFinite(scale) && scale >= 0)) {
      throw new IllegalArgumentException("Cannot weigh the mix term: scale must be finite and >= 0: " + scale);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("Cannot weigh the mix term: warm-up steps must be >= 0: " + warmupSteps);
    }
  }

  /** The mix scale {@link MixedBarlowTwinsLoss} uses at {@code step}. */
  public double at(long step) {
    double target = variant.factor() * scale;
    return step < warmupSteps ? target * step / warmupSteps : target;
  }
}
