package org.mixbt.core.model;

import java.io.Serializable;

/**
 * Adam as {@code torch.optim.Adam} runs it in the original: betas (0.9, 0.999), eps 1e-8, and weight decay
 * added to the gradient as L2 (not decoupled) on every trainable parameter.
 *
 * @param learningRate the peak learning rate
 * @param weightDecay L2 coefficient added to the gradient
 * @param warmupCosine when set, {@link WarmupCosineSchedule} over {@code totalSteps} steps with
 *     {@code warmupSteps} of linear warm-up; otherwise a constant rate
 * @param seed weight initialisation seed
 */
public record OptimizerSpec(double learningRate, double weightDecay, boolean warmupCosine,
    long warmupSteps, long totalSteps, long seed) implements Serializable {
}
