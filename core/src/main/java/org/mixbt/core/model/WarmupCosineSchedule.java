package org.mixbt.core.model;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The original's {@code adjust_learning_rate} (cosine variant), counted in optimiser steps:
 * <pre>
 *   step &lt; warmup:  lr = peak · step / warmup
 *   otherwise:      q  = ½ (1 + cos(π · (step − warmup) / (total − warmup)))
 *                   lr = peak · q + peak · 0.001 · (1 − q)
 * </pre>
 * The first step (0) therefore trains with rate 0, as in the original.
 */
public class WarmupCosineSchedule implements ISchedule {
  private static final double END_FRACTION = 0.001;
  private final double peak;
  private final long warmupSteps;
  private final long totalSteps;

  public WarmupCosineSchedule(@JsonProperty("peak") double peak,
      @JsonProperty("warmupSteps") long warmupSteps, @JsonProperty("totalSteps") long totalSteps) {
    if (totalSteps <= warmupSteps) {
      throw new IllegalArgumentException("Cannot build schedule: total steps " + totalSteps
          + " must exceed warm-up steps " + warmupSteps);
    }
    this.peak = peak;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    if (iteration < warmupSteps) {
      return peak * iteration / warmupSteps;
    }
    double progress = Math.min(1.0, (iteration - warmupSteps) / (double) (totalSteps - warmupSteps));
    double q = 0.5 * (1 + Math.cos(Math.PI * progress));
    return peak * q + peak * END_FRACTION * (1 - q);
  }

  @Override
  public ISchedule clone() {
    return new WarmupCosineSchedule(peak, warmupSteps, totalSteps);
  }

  public double getPeak() {
    return peak;
  }

  public long getWarmupSteps() {
    return warmupSteps;
  }

  public long getTotalSteps() {
    return totalSteps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarmupCosineSchedule s
        && s.peak == peak && s.warmupSteps == warmupSteps && s.totalSteps == totalSteps;
  }

  @Override
  public int hashCode() {
    return Objects.hash(peak, warmupSteps, totalSteps);
  }
}
