package org.mixbt.core.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * LARS's layer-wise adaptation, applied to one parameter tensor's gradient before the updater:
 * {@code dp := dp · q} with {@code q = eta · ‖p‖ / ‖dp‖} when both norms are positive and 1 otherwise
 * (the original's nested {@code torch.where}). It is a DL4J {@link Regularization} because that is the
 * only hook DL4J gives the parameter values per tensor; listed after the L2 term, it sees the decayed
 * gradient, as the original computes {@code ‖dp‖} after adding {@code wd · p}. It adds nothing to the score.
 */
public class LarsTrustRatio implements Regularization {
  public static final double DEFAULT_ETA = 0.001;
  private final double eta;

  public LarsTrustRatio(@JsonProperty("eta") double eta) {
    if (!(eta > 0) || Double.isInfinite(eta)) {
      throw new IllegalArgumentException("Cannot configure LARS: eta must be a finite number > 0: " + eta);
    }
    this.eta = eta;
  }

  @Override
  public ApplyStep applyStep() {
    return ApplyStep.BEFORE_UPDATER;
  }

  @Override
  public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
    double paramNorm = param.norm2Number().doubleValue();
    double updateNorm = gradView.norm2Number().doubleValue();
    if (paramNorm > 0 && updateNorm > 0) {
      gradView.muli(eta * paramNorm / updateNorm);
    }
  }

  @Override
  public double score(INDArray param, int iteration, int epoch) {
    return 0;
  }

  @Override
  public Regularization clone() {
    return new LarsTrustRatio(eta);
  }

  public double getEta() {
    return eta;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LarsTrustRatio r && r.eta == eta;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(eta);
  }

  @Override
  public String toString() {
    return "LarsTrustRatio(eta=" + eta + ")";
  }
}
