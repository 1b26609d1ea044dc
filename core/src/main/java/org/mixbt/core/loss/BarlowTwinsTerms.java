package org.mixbt.core.loss;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The value of one (Mixed) Barlow Twins loss evaluation and its gradients with respect to the three
 * network outputs. The gradient arrays are fresh arrays handed over to the caller (not copied again,
 * not aliased with the inputs); {@link #gradM()} is {@code null} for plain Barlow Twins.
 */
public final class BarlowTwinsTerms {
  private final double lossBt;
  private final double lossMix;
  private final INDArray grad1;
  private final INDArray grad2;
  private final INDArray gradM;

  BarlowTwinsTerms(double lossBt, double lossMix, INDArray grad1, INDArray grad2, INDArray gradM) {
    this.lossBt = lossBt;
    this.lossMix = lossMix;
    this.grad1 = Objects.requireNonNull(grad1, "grad1");
    this.grad2 = Objects.requireNonNull(grad2, "grad2");
    this.gradM = gradM;
  }

  /** The Barlow Twins term {@code sum_i (1 - C_ii)^2 + lambda * sum_{i!=j} C_ij^2}. */
  public double lossBt() {
    return lossBt;
  }

  /** The mixed-view regulariser (already multiplied by mix scale and lambda); 0 for plain. */
  public double lossMix() {
    return lossMix;
  }

  /** {@code lossBt + lossMix}, the quantity the gradients differentiate. */
  public double total() {
    return lossBt + lossMix;
  }

  /** d(total)/d(out1), shape [N, d]. */
  public INDArray grad1() {
    return grad1;
  }

  /** d(total)/d(out2), shape [N, d]. */
  public INDArray grad2() {
    return grad2;
  }

  /** d(total)/d(outM), shape [N, d]; {@code null} for plain Barlow Twins. */
  public INDArray gradM() {
    return gradM;
  }

  /** Whether this evaluation had a mixed view. */
  public boolean isMixed() {
    return gradM != null;
  }

  @Override
  public String toString() {
    return "BarlowTwinsTerms{lossBt=" + lossBt + ", lossMix=" + lossMix + ", total=" + total() + "}";
  }
}
