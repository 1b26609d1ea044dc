package org.mixbt.core.model;

import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Batch normalisation with <em>per-view</em> batch statistics, for NCHW or [N, C] input.
 *
 * <p>In the original code each view (x1, x2 and their mixture) is a separate forward pass, so every
 * BatchNorm layer normalises each view with that view's own batch mean and variance. Our network stacks
 * the views into one minibatch of {@code views × N} rows (one big convolution is faster than three
 * small ones); this layer splits the minibatch back into {@code views} equal, consecutive groups and
 * normalises each group with its own statistics. DL4J's {@code BatchNormalization} has no such option.
 * In inference mode the running statistics apply row by row, so any minibatch size works.
 *
 * <p>Running statistics follow PyTorch: momentum 0.1, biased variance to normalise, unbiased variance in
 * the running estimate, updated by the groups in order (view1, view2, mixed) as three forward passes
 * would. They are parameters (so parameter averaging and checkpoints carry them) with a no-op updater
 * and no weight decay; gamma and beta are ordinary trainable parameters.
 */
public class ViewBatchNorm extends NativeOpLayer {
  private int views = 1;
  private double eps = 1e-5;
  private double momentum = 0.1;
  /** Initial gamma: 1, or 0 for the last BN of a residual branch under zero_init_residual. */
  private double initialGamma = 1;

  /** For JSON deserialisation only. */
  public ViewBatchNorm() {
  }

  public ViewBatchNorm(long channels, int views) {
    this.nIn = channels;
    this.nOut = channels;
    this.views = views;
  }

  public ViewBatchNorm(long channels, int views, double initialGamma) {
    this(channels, views);
    this.initialGamma = initialGamma;
  }

  @Override
  protected ViewBatchNormLayer createLayer(NeuralNetConfiguration conf, DataType dataType) {
    return new ViewBatchNormLayer(conf, dataType);
  }

  @Override
  public ParamInitializer initializer() {
    return ViewBatchNormParams.INSTANCE;
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return inputType;
  }

  @Override
  public void setNIn(InputType inputType, boolean override) {
    if (nIn <= 0 || override) {
      nIn = inputType instanceof InputType.InputTypeConvolutional
          ? ((InputType.InputTypeConvolutional) inputType).getChannels()
          : ((InputType.InputTypeFeedForward) inputType).getSize();
      nOut = nIn;
    }
  }

  /**
   * Gamma and beta are treated as biases, as the original's LARS groups them (one-dimensional tensors):
   * they get the bias regularization (with Adam the same L2 as every other parameter, since the original's
   * Adam weight decay covers all) and the bias updater where one is set.
   */
  @Override
  public List<Regularization> getRegularizationByParam(String paramName) {
    return ViewBatchNormParams.isRunningStatistic(paramName) ? null : regularizationBias;
  }

  @Override
  public IUpdater getUpdaterByParam(String paramName) {
    if (ViewBatchNormParams.isRunningStatistic(paramName)) {
      return new NoOp();
    }
    return biasUpdater != null ? biasUpdater : iUpdater;
  }

  public int getViews() {
    return views;
  }

  public void setViews(int views) {
    this.views = views;
  }

  public double getEps() {
    return eps;
  }

  public void setEps(double eps) {
    this.eps = eps;
  }

  public double getMomentum() {
    return momentum;
  }

  public void setMomentum(double momentum) {
    this.momentum = momentum;
  }

  public double getInitialGamma() {
    return initialGamma;
  }

  public void setInitialGamma(double initialGamma) {
    this.initialGamma = initialGamma;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ViewBatchNorm) || !super.equals(o)) {
      return false;
    }
    ViewBatchNorm other = (ViewBatchNorm) o;
    return views == other.views && eps == other.eps && momentum == other.momentum
        && initialGamma == other.initialGamma;
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), views, eps, momentum, initialGamma);
  }
}
