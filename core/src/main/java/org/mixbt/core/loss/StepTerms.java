package org.mixbt.core.loss;

/**
 * What one step's loss evaluation produced, for progress reporting: the two loss terms, the step, and
 * whether the step was skipped as degenerate (then {@code problem} says why).
 */
public record StepTerms(long step, double lossBt, double lossMix, boolean skipped, String problem)
    implements java.io.Serializable {
  public double total() {
    return lossBt + lossMix;
  }
}
