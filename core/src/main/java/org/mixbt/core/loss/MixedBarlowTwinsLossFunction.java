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
 *
 * <p>The mix term's weight follows {@link MixScaleSchedule} at the batch's global step (from its
 * {@link StepLabels}): main.py's constant {@code mixScale}, or main_imagenet.py's ½ · lambda_mixup warmed up
 * over {@code mixWarmupSteps}; {@code cm2Target} selects the paper's or main_imagenet.py's {@code C_m2_gt}.
 */
public class MixedBarlowTwinsLossFunction implements ILossFunction {
  private double lambda = 0.0078125;
  private double mixScale = 4.0;
  private boolean mixing = true;
  private DegenerateBatchPolicy degeneratePolicy = DegenerateBatchPolicy.FAIL;
  private LossVariant variant = LossVariant.SMALL_DATA;
  private MixedBarlowTwinsLoss.Cm2Target cm2Target = MixedBarlowTwinsLoss.Cm2Target.PAPER;
  private long mixWarmupSteps;

  /**
   * The last evaluation, per thread: DL4J's configuration clone shares this object between the networks
   * of all Spark workers in one JVM (local mode runs them as threads), so per-instance state would let a
   * worker pick up another worker's gradient.
   */
  @JsonIgnore
  private transient volatile ThreadLocal<Evaluation> evaluations;

  /** One step's result: the pre-output it was computed for, its gradient (×N) and its terms. */
  private record Evaluation(INDArray preOutput, INDArray gradient, StepTerms terms) {
  }

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

  /**
   * Any variant of the loss.
   *
   * @param mixWarmupSteps global steps over which the mix weight rises linearly from 0 (0 = none)
   */
  public MixedBarlowTwinsLossFunction(double lambda, double mixScale, boolean mixing,
      DegenerateBatchPolicy degeneratePolicy, LossVariant variant, MixedBarlowTwinsLoss.Cm2Target cm2Target,
      long mixWarmupSteps) {
    this(lambda, mixScale, mixing, degeneratePolicy);
    this.variant = Objects.requireNonNull(variant, "variant");
    this.cm2Target = Objects.requireNonNull(cm2Target, "cm2Target");
    this.mixWarmupSteps = mixWarmupSteps;
    mixSchedule();
  }

  /** The weight of the mix term per step (validates the settings). */
  public MixScaleSchedule mixSchedule() {
    return new MixScaleSchedule(mixScale, variant, mixWarmupSteps);
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return evaluate(labels, preOutput).gradient();
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
      boolean average) {
    StepTerms terms = evaluate(labels, preOutput).terms();
    long n = preOutput.size(0);
    return average ? terms.total() : terms.total() * n;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    double total = evaluate(labels, preOutput).terms().total();
    return Nd4j.valueArrayOf(new long[] {preOutput.size(0), 1}, total, preOutput.dataType());
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
      IActivation activationFn, INDArray mask, boolean average) {
    double score = computeScore(labels, preOutput, activationFn, mask, average);
    return new Pair<>(score, evaluate(labels, preOutput).gradient());
  }

  private ThreadLocal<Evaluation> evaluations() {
    ThreadLocal<Evaluation> local = evaluations;
    if (local == null) {
      synchronized (this) {
        if (evaluations == null) {
          evaluations = new ThreadLocal<>();
        }
        local = evaluations;
      }
    }
    return local;
  }

  private Evaluation evaluate(INDArray labels, INDArray preOutput) {
    Evaluation last = evaluations().get();
    if (last != null && last.preOutput() == preOutput) {
      return last;
    }
    StepLabels step = StepLabels.fromArray(labels);
    int views = mixing ? 3 : 2;
    long n = preOutput.size(0);
    long d = preOutput.size(1) / views;
    INDArray[] outs = new INDArray[views];
    for (int v = 0; v < views; v++) {
      outs[v] = preOutput.get(NDArrayIndex.all(), NDArrayIndex.interval(v * d, (v + 1) * d)).dup('c');
    }
    MixedBarlowTwinsLoss loss = new MixedBarlowTwinsLoss(lambda, mixSchedule().at(step.step()))
        .withCm2Target(cm2Target);
    INDArray gradient;
    StepTerms terms;
    try {
      BarlowTwinsTerms result = mixing
          ? loss.mixed(outs[0], outs[1], outs[2], step.alpha(), step.permutation())
          : loss.plain(outs[0], outs[1]);
      gradient = mixing
          ? Nd4j.hstack(result.grad1(), result.grad2(), result.gradM())
          : Nd4j.hstack(result.grad1(), result.grad2());
      gradient.muli(n);
      terms = new StepTerms(step.step(), result.lossBt(), result.lossMix(), false, null);
    } catch (DegenerateBatchException e) {
      String problem = "step " + step.step() + ": " + e.getMessage();
      if (degeneratePolicy == DegenerateBatchPolicy.FAIL) {
        throw new IllegalStateException("Cannot train on " + problem
            + " (set mixbt.loss.on-degenerate-batch = skip to skip such steps)", e);
      }
      gradient = Nd4j.zeros(preOutput.dataType(), preOutput.shape());
      terms = new StepTerms(step.step(), 0, 0, true, problem);
    }
    Evaluation evaluation = new Evaluation(preOutput, gradient, terms);
    evaluations().set(evaluation);
    return evaluation;
  }

  /** The terms of the most recent step evaluated by the calling thread, for progress listeners. */
  @JsonIgnore
  public StepTerms lastTerms() {
    Evaluation last = evaluations().get();
    return last == null ? null : last.terms();
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

  public LossVariant getVariant() {
    return variant;
  }

  public void setVariant(LossVariant variant) {
    this.variant = variant;
  }

  public MixedBarlowTwinsLoss.Cm2Target getCm2Target() {
    return cm2Target;
  }

  public void setCm2Target(MixedBarlowTwinsLoss.Cm2Target cm2Target) {
    this.cm2Target = cm2Target;
  }

  public long getMixWarmupSteps() {
    return mixWarmupSteps;
  }

  public void setMixWarmupSteps(long mixWarmupSteps) {
    this.mixWarmupSteps = mixWarmupSteps;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MixedBarlowTwinsLossFunction f && f.lambda == lambda && f.mixScale == mixScale
        && f.mixing == mixing && f.degeneratePolicy == degeneratePolicy && f.variant == variant
        && f.cm2Target == cm2Target && f.mixWarmupSteps == mixWarmupSteps;
  }

  @Override
  public int hashCode() {
    return Objects.hash(lambda, mixScale, mixing, degeneratePolicy, variant, cm2Target, mixWarmupSteps);
  }

  @Override
  public String toString() {
    return "MixedBarlowTwinsLossFunction(lambda=" + lambda + ", mixScale=" + mixScale + ", mixing=" + mixing
        + ", onDegenerate=" + degeneratePolicy + ", variant=" + variant + ", cm2Target=" + cm2Target
        + ", mixWarmupSteps=" + mixWarmupSteps + ")";
  }
}
