package org.mixbt.core.model;

import java.io.Serializable;
import java.util.List;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * How the learning rate moves over a run, in the units the updater sees: the network's iteration count,
 * which training keeps equal to the global step (batch b of epoch e is step {@code e · stepsPerEpoch + b};
 * see {@link org.mixbt.core.train.GlobalStepListener}).
 *
 * @param kind constant, linear warm-up then cosine to 0.001× ({@link WarmupCosineSchedule}), or ×gamma at
 *     milestone epochs ({@link StepDecaySchedule})
 * @param stepsPerEpoch optimiser steps in one epoch
 * @param epochs epochs of the run (cosine: the schedule's end)
 * @param warmupEpochs cosine: epochs of linear warm-up
 * @param firstEpoch cosine: the number the original gives its first epoch when it counts steps (main.py
 *     1, main_imagenet.py 0): step s of our run is the original's step {@code s + firstEpoch · stepsPerEpoch}
 * @param milestones step: epochs (0-based) at whose start the rate is multiplied by gamma
 * @param gamma step: the factor
 */
public record ScheduleSpec(Kind kind, long stepsPerEpoch, long epochs, long warmupEpochs, long firstEpoch,
    List<Integer> milestones, double gamma) implements Serializable {

  /** The kinds of schedule. */
  public enum Kind { CONSTANT, WARMUP_COSINE, STEP }

  public ScheduleSpec {
    milestones = List.copyOf(milestones);
  }

  public static ScheduleSpec constant() {
    return new ScheduleSpec(Kind.CONSTANT, 1, 1, 0, 0, List.of(), 1);
  }

  public static ScheduleSpec warmupCosine(long stepsPerEpoch, long epochs, long warmupEpochs, long firstEpoch) {
    return new ScheduleSpec(Kind.WARMUP_COSINE, stepsPerEpoch, epochs, warmupEpochs, firstEpoch, List.of(), 1);
  }

  public static ScheduleSpec step(long stepsPerEpoch, List<Integer> milestones, double gamma) {
    return new ScheduleSpec(Kind.STEP, stepsPerEpoch, 1, 0, 0, milestones, gamma);
  }

  /** The schedule with the given peak (base) rate; {@code null} for a constant rate. */
  public ISchedule forPeak(double peak) {
    switch (kind) {
      case WARMUP_COSINE:
        return new WarmupCosineSchedule(peak, warmupEpochs * stepsPerEpoch, epochs * stepsPerEpoch,
            firstEpoch * stepsPerEpoch);
      case STEP:
        return new StepDecaySchedule(peak, stepsPerEpoch, milestones.stream().mapToInt(Integer::intValue).toArray(),
            gamma);
      default:
        return null;
    }
  }
}
