package org.mixbt.core.optim;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The momentum step of the original's LARS (main_imagenet.py, from facebookresearch/barlowtwins):
 * <pre>
 *   mu = momentum · mu + dp        (mu starts at 0)
 *   p  = p − lr · mu
 * </pre>
 * where {@code dp} is the gradient after weight decay and trust-ratio scaling. DL4J hands an updater only
 * the gradient, never the parameters, so those two parameter-dependent steps run before this one as
 * regularizations of the weights: {@code L2Regularization} (dp = g + wd · p) then {@link LarsTrustRatio}
 * (dp · eta‖p‖/‖dp‖). Biases and BN parameters get this updater with their own rate and no
 * regularization, as the original's {@code weight_decay_filter} / {@code lars_adaptation_filter} do.
 * {@link org.mixbt.core.model.OptimizerSpec} wires the two groups into a network configuration.
 *
 * <p>Unlike DL4J's {@code Nesterovs} this is PyTorch's heavy-ball form (the rate multiplies the buffer,
 * not the gradient), so a changing rate acts on the whole accumulated momentum at once, as in the original.
 */
public class Lars implements IUpdater {
  public static final double DEFAULT_MOMENTUM = 0.9;
  private double learningRate;
  private ISchedule learningRateSchedule;
  private double momentum;

  /** A constant rate. */
  public Lars(double learningRate, double momentum) {
    this(learningRate, null, momentum);
  }

  /** A scheduled rate. */
  public Lars(ISchedule learningRateSchedule, double momentum) {
    this(Double.NaN, learningRateSchedule, momentum);
  }

  public Lars(@JsonProperty("learningRate") double learningRate,
      @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
      @JsonProperty("momentum") double momentum) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("Cannot configure LARS: momentum must be in [0, 1): " + momentum);
    }
    this.learningRate = learningRate;
    this.learningRateSchedule = learningRateSchedule;
    this.momentum = momentum;
  }

  @Override
  public long stateSize(long numParams) {
    return numParams;
  }

  @Override
  public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
    LarsUpdater updater = new LarsUpdater(this);
    INDArray flat = viewArray.reshape(viewArray.length());
    updater.setStateViewArray(flat, flat.shape(), flat.ordering(), initializeViewArray);
    return updater;
  }

  @Override
  public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
    LarsUpdater updater = new LarsUpdater(this);
    updater.setState(updaterState, initializeStateArrays);
    return updater;
  }

  @Override
  public Lars clone() {
    return new Lars(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(), momentum);
  }

  @Override
  public double getLearningRate(int iteration, int epoch) {
    return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
  }

  @Override
  public boolean hasLearningRate() {
    return true;
  }

  @Override
  public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
    this.learningRate = lr;
    this.learningRateSchedule = lrSchedule;
  }

  public double getLearningRate() {
    return learningRate;
  }

  public ISchedule getLearningRateSchedule() {
    return learningRateSchedule;
  }

  public double getMomentum() {
    return momentum;
  }

  @Override
  public boolean equals(Object o) {
    // NaN-safe: a scheduled rate stores NaN as its constant
    return o instanceof Lars l && Double.compare(l.learningRate, learningRate) == 0
        && Objects.equals(l.learningRateSchedule, learningRateSchedule) && l.momentum == momentum;
  }

  @Override
  public int hashCode() {
    return Objects.hash(learningRate, learningRateSchedule, momentum);
  }

  @Override
  public String toString() {
    return "Lars(lr=" + (learningRateSchedule != null ? learningRateSchedule : learningRate) + ", momentum="
        + momentum + ")";
  }
}
