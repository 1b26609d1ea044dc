package org.mixbt.core.loss;

/**
 * What to do with a step whose loss is undefined (a zero-variance embedding column, or N &lt; 2), where the
 * original code silently produces NaN and trains on it.
 */
public enum DegenerateBatchPolicy {
  /** Stop training with an error naming the step, the view and the columns. */
  FAIL,
  /**
   * Report the step and contribute a zero loss gradient (weights still receive weight decay and Adam's
   * momentum from earlier steps: DL4J offers no way to drop a step from inside its fit loop).
   */
  SKIP
}
