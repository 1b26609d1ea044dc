package org.mixbt.core.model;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * PyTorch's {@code MultiStepLR} as the original steps it (once at the end of every epoch), evaluated per
 * optimiser step: in 0-based epoch {@code e = step / stepsPerEpoch}, {@code lr = base · gamma^k} with
 * {@code k} the number of milestones {@code <= e}. evaluate_transfer.py uses milestones 60, 80 and
 * gamma 0.1; main.py's "step" option {@code epochs − 50, epochs − 25} and gamma 0.2.
 */
public class StepDecaySchedule implements ISchedule {
  private final double base;
  private final long stepsPerEpoch;
  private final int[] milestones;
  private final double gamma;

  public StepDecaySchedule(@JsonProperty("base") double base, @JsonProperty("stepsPerEpoch") long stepsPerEpoch,
      @JsonProperty("milestones") int[] milestones, @JsonProperty("gamma") double gamma) {
    if (stepsPerEpoch < 1) {
      throw new IllegalArgumentException("Cannot build step schedule: steps per epoch must be >= 1: " + stepsPerEpoch);
    }
    for (int i = 0; i < milestones.length; i++) {
      if (milestones[i] < 0 || (i > 0 && milestones[i] < milestones[i - 1])) {
        throw new IllegalArgumentException("Cannot build step schedule: milestones must be ascending epochs >= 0: "
            + Arrays.toString(milestones));
      }
    }
    this.base = base;
    this.stepsPerEpoch = stepsPerEpoch;
    this.milestones = milestones.clone();
    this.gamma = gamma;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    long epochIndex = iteration / stepsPerEpoch;
    int passed = 0;
    while (passed < milestones.length && milestones[passed] <= epochIndex) {
      passed++;
    }
    return base * Math.pow(gamma, passed);
  }

  @Override
  public ISchedule clone() {
    return new StepDecaySchedule(base, stepsPerEpoch, milestones, gamma);
  }

  public double getBase() {
    return base;
  }

  public long getStepsPerEpoch() {
    return stepsPerEpoch;
  }

  public int[] getMilestones() {
    return milestones.clone();
  }

  public double getGamma() {
    return gamma;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StepDecaySchedule s && s.base == base && s.stepsPerEpoch == stepsPerEpoch
        && Arrays.equals(s.milestones, milestones) && s.gamma == gamma;
  }

  @Override
  public int hashCode() {
    return Objects.hash(base, stepsPerEpoch, Arrays.hashCode(milestones), gamma);
  }

  @Override
  public String toString() {
    return "StepDecaySchedule(base=" + base + ", stepsPerEpoch=" + stepsPerEpoch + ", milestones="
        + Arrays.toString(milestones) + ", gamma=" + gamma + ")";
  }
}
