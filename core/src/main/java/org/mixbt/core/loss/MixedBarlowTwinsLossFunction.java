package org.mixbt.core.loss;

import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * Thin DL4J adapter around {@link MixedBarlowTwinsLoss}. Its "pre-output" is [N, views·d]: the
 * L2-normalised embeddings of view1 | view2 | mixed side by side; its "labels" are {@link StepLabels}.
 *
 * <p>DL4J divides the score from {@code computeScore(average=false)} and the gradient from
 * {@code computeGradient} by the minibatch size N; the Barlow Twins loss is a batch-level quantity, so
 * both are returned multiplied by N. The loss is evaluated once per step: LossLayer asks for the gradient
 * first and the score second with the same arrays, and the second call reuses the first result.
 */
public class MixedBarlowTwinsLossFunction implements ILossFunction {
  private double lambda = 0.0078125;
  private double mixScale = 4.0;
  private boolean mixing = true;
  private DegenerateBatchPolicy degeneratePolicy = DegenerateBatchPolicy.FAIL;

  @JsonIgnore
  private transient INDArray cachedFor;
  @JsonIgnore
  private transient INDArray cachedGradient;
  @JsonIgnore
  private transient StepTerms lastTerms;

  /** For JSON deserialisation only. */
  public MixedBarlowTwinsLossFunction() {
  }

  public MixedBarlowTwinsLossFunction(double lambda, double mixScale, boolean mixing,
      DegenerateBatchPolicy degeneratePolicy) {
    this.lambda = lambda;
    this.mixScale = mixScale;
    this.mixing = mixing;
    this.degeneratePolicy = degeneratePolicy;
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    evaluate(labels, preOutput);
    return cachedGradient;
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
      boolean average) {
    evaluate(labels, preOutput);
    long n = preOutput.size(0);
    return average ? lastTerms.total() : lastTerms.total() * n;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    evaluate(labels, preOutput);
    return Nd4j.valueArrayOf(new long[] {preOutput.size(0), 1}, lastTerms.total(), preOutput.dataType());
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
      IActivation activationFn, INDArray mask, boolean average) {
    return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average), cachedGradient);
  }

  private void evaluate(INDArray labels, INDArray preOutput) {
    if (preOutput == cachedFor && cachedGradient != null) {
      return;
    }
    StepLabels step = StepLabels.fromArray(labels);
    int views = mixing ? 3 : 2;
    long n = preOutput.size(0);
    long d = preOutput.size(1) / views;
    INDArray[] outs = new INDArray[views];
    for (int v = 0; v < views; v++) {
      outs[v] = preOutput.get(NDArrayIndex.all(), NDArrayIndex.interval(v * d, (v + 1) * d)).dup('c');
    }
    MixedBarlowTwinsLoss loss = new MixedBarlowTwinsLoss(lambda, mixScale);
    INDArray gradient;
    try {
      BarlowTwinsTerms terms = mixing
          ? loss.mixed(outs[0], outs[1], outs[2], step.alpha(), step.permutation())
          : loss.plain(outs[0], outs[1]);
      gradient = mixing
          ? Nd4j.hstack(terms.grad1(), terms.grad2(), terms.gradM())
          : Nd4j.hstack(terms.grad1(), terms.grad2());
      gradient.muli(n);
      lastTerms = new StepTerms(step.step(), terms.lossBt(), terms.lossMix(), false, null);
    } catch (DegenerateBatchException e) {
      String problem = "step " + step.step() + ": " + e.getMessage();
      if (degeneratePolicy == DegenerateBatchPolicy.FAIL) {
        throw new IllegalStateException("Cannot train on " + problem
            + " (set mixbt.loss.on-degenerate-batch = skip to skip such steps)", e);
      }
      gradient = Nd4j.zeros(preOutput.dataType(), preOutput.shape());
      lastTerms = new StepTerms(step.step(), 0, 0, true, problem);
    }
    cachedFor = preOutput;
    cachedGradient = gradient;
  }

  /** The terms of the most recent step on this (worker-local) network, for progress listeners. */
  @JsonIgnore
  public StepTerms lastTerms() {
    return lastTerms;
  }

  @Override
  public String name() {
    return "MixedBarlowTwins";
  }

  public double getLambda() {
    return lambda;
  }

  public void setLambda(double lambda) {
    this.lambda = lambda;
  }

  public double getMixScale() {
    return mixScale;
  }

  public void setMixScale(double mixScale) {
    this.mixScale = mixScale;
  }

  public boolean isMixing() {
    return mixing;
  }

  public void setMixing(boolean mixing) {
    this.mixing = mixing;
  }

  public DegenerateBatchPolicy getDegeneratePolicy() {
    return degeneratePolicy;
  }

  public void setDegeneratePolicy(DegenerateBatchPolicy degeneratePolicy) {
    this.degeneratePolicy = degeneratePolicy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MixedBarlowTwinsLossFunction f && f.lambda == lambda && f.mixScale == mixScale
        && f.mixing == mixing && f.degeneratePolicy == degeneratePolicy;
  }

  @Override
  public int hashCode() {
    return Objects.hash(lambda, mixScale, mixing, degeneratePolicy);
  }

  @Override
  public String toString() {
    return "MixedBarlowTwinsLossFunction(lambda=" + lambda + ", mixScale=" + mixScale + ", mixing=" + mixing
        + ", onDegenerate=" + degeneratePolicy + ")";
  }
}
