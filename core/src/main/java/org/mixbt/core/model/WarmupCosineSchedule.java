package org.mixbt.core.model;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The original's {@code adjust_learning_rate} (main.py and main_imagenet.py), counted in optimiser steps.
 * With {@code s = iteration + offsetSteps}:
 * <pre>
 *   s &lt; warmup:  lr = peak · s / warmup
 *   otherwise:   q  = ½ (1 + cos(π · (s − warmup) / (total − warmup)))
 *                lr = peak · q + peak · 0.001 · (1 − q)
 * </pre>
 * {@code peak} is the original's {@code base_lr × lr} (batch/256 × the recipe's rate), {@code warmup} is
 * warm-up epochs × steps per epoch and {@code total} epochs × steps per epoch. The original does not clamp
 * {@code s} to {@code total}, and neither do we: main.py numbers its epochs from 1, so its steps run from
 * one epoch's worth ({@code offsetSteps}) to one epoch past {@code total}, where the cosine has just
 * turned up again; main_imagenet.py counts from 0, so its first step trains with rate 0.
 */
public class WarmupCosineSchedule implements ISchedule {
  private static final double END_FRACTION = 0.001;
  private final double peak;
  private final long warmupSteps;
  private final long totalSteps;
  private final long offsetSteps;

  public WarmupCosineSchedule(double peak, long warmupSteps, long totalSteps) {
    this(peak, warmupSteps, totalSteps, 0);
  }

  public WarmupCosineSchedule(@JsonProperty("peak") double peak,
      @JsonProperty("warmupSteps") long warmupSteps, @JsonProperty("totalSteps") long totalSteps,
      @JsonProperty("offsetSteps") long offsetSteps) {
    if (totalSteps <= warmupSteps) {
      throw new IllegalArgumentException("Cannot build schedule: total steps " + totalSteps
          + " must exceed warm-up steps " + warmupSteps);
    }
    if (warmupSteps < 0 || offsetSteps < 0) {
      throw new IllegalArgumentException("Cannot build schedule: warm-up steps " + warmupSteps
          + " and offset " + offsetSteps + " must be >= 0");
    }
    this.peak = peak;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
    this.offsetSteps = offsetSteps;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    long step = iteration + offsetSteps;
    if (step < warmupSteps) {
      return peak * step / warmupSteps;
    }
    double q = 0.5 * (1 + Math.cos(Math.PI * (step - warmupSteps) / (double) (totalSteps - warmupSteps)));
    return peak * q + peak * END_FRACTION * (1 - q);
  }

  @Override
  public ISchedule clone() {
    return new WarmupCosineSchedule(peak, warmupSteps, totalSteps, offsetSteps);
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

  public long getOffsetSteps() {
    return offsetSteps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WarmupCosineSchedule s && s.peak == peak && s.warmupSteps == warmupSteps
        && s.totalSteps == totalSteps && s.offsetSteps == offsetSteps;
  }

  @Override
  public int hashCode() {
    return Objects.hash(peak, warmupSteps, totalSteps, offsetSteps);
  }

  @Override
  public String toString() {
    return "WarmupCosineSchedule(peak=" + peak + ", warmupSteps=" + warmupSteps + ", totalSteps=" + totalSteps
        + ", offsetSteps=" + offsetSteps + ")";
  }
}
