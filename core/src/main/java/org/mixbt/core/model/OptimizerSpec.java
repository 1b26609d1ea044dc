package org.mixbt.core.model;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.mixbt.core.optim.Lars;
import org.mixbt.core.optim.LarsTrustRatio;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The optimiser of a run, as the original configures it.
 *
 * <ul>
 *   <li>{@link Algorithm#ADAM}: {@code torch.optim.Adam} as main.py runs it: betas (0.9, 0.999), eps 1e-8,
 *       weight decay added to the gradient as L2 (not decoupled) on every trainable parameter; one rate.
 *   <li>{@link Algorithm#LARS}: main_imagenet.py's LARS: weights (tensors of two or more dimensions in
 *       PyTorch: convolution and linear kernels) get L2 weight decay, the trust ratio and
 *       {@code learningRate}; biases and BN scale/shift get neither decay nor adaptation and
 *       {@code biasLearningRate}; both get heavy-ball momentum. See {@link Lars}.
 * </ul>
 * Rates here are final (already scaled by batch/256 where the recipe says so); {@code schedule} shapes both.
 *
 * @param algorithm Adam or LARS
 * @param learningRate peak rate (LARS: of the weights)
 * @param biasLearningRate LARS: peak rate of biases and BN parameters; Adam: unused
 * @param weightDecay L2 coefficient added to the gradient
 * @param momentum LARS momentum
 * @param eta LARS trust coefficient
 * @param schedule how the rates move over the run
 * @param seed weight initialisation seed
 */
public record OptimizerSpec(Algorithm algorithm, double learningRate, double biasLearningRate, double weightDecay,
    double momentum, double eta, ScheduleSpec schedule, long seed) implements Serializable {

  /** The optimisers of the original code. */
  public enum Algorithm { ADAM, LARS }

  public OptimizerSpec {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(schedule, "schedule");
  }

  /**
   * Adam, with an optional warm-up cosine schedule counted directly in steps.
   *
   * @param warmupCosine when set, {@link WarmupCosineSchedule} over {@code totalSteps} steps with
   *     {@code warmupSteps} of linear warm-up; otherwise a constant rate
   */
  public OptimizerSpec(double learningRate, double weightDecay, boolean warmupCosine, long warmupSteps,
      long totalSteps, long seed) {
    this(Algorithm.ADAM, learningRate, learningRate, weightDecay, 0, 0,
        warmupCosine ? ScheduleSpec.warmupCosine(1, totalSteps, warmupSteps, 0) : ScheduleSpec.constant(), seed);
  }

  public static OptimizerSpec adam(double learningRate, double weightDecay, ScheduleSpec schedule, long seed) {
    return new OptimizerSpec(Algorithm.ADAM, learningRate, learningRate, weightDecay, 0, 0, schedule, seed);
  }

  public static OptimizerSpec lars(double weightLearningRate, double biasLearningRate, double weightDecay,
      double momentum, double eta, ScheduleSpec schedule, long seed) {
    return new OptimizerSpec(Algorithm.LARS, weightLearningRate, biasLearningRate, weightDecay, momentum, eta,
        schedule, seed);
  }

  /**
   * Sets the updaters and regularization of every layer. DL4J chooses per parameter: a layer's weight
   * parameters get {@code updater} and {@code regularization}, its bias parameters {@code biasUpdater} and
   * {@code regularizationBias}; {@link ViewBatchNorm} treats gamma and beta as biases (running statistics
   * have no updater at all).
   */
  public NeuralNetConfiguration.Builder configure(NeuralNetConfiguration.Builder builder) {
    if (algorithm == Algorithm.ADAM) {
      ISchedule lr = schedule.forPeak(learningRate);
      return builder.updater(lr == null ? new Adam(learningRate) : new Adam(lr))
          .l2(weightDecay)
          .l2Bias(weightDecay);
    }
    return builder.updater(lars(learningRate))
        .biasUpdater(lars(biasLearningRate))
        // Order matters: the trust ratio takes the norm of the gradient with the decay already added.
        .regularization(List.of(new L2Regularization(weightDecay), new LarsTrustRatio(eta)))
        .regularizationBias(List.of());
  }

  /**
   * Removes repeated regularization entries from every layer of a built configuration. DL4J 1.0.0-M2.1's
   * builder lists a network-wide regularization that is neither L1 nor L2 twice per layer (once when it
   * copies the defaults to the layer, again in {@code LayerValidation.configureBaseLayer}). For the trust
   * ratio the repeat is a no-op up to rounding (the scaled gradient already has norm eta·‖p‖), but it costs
   * two more norms per tensor and step, and a configuration should say what runs.
   */
  public static void removeDuplicateRegularization(ComputationGraphConfiguration conf) {
    for (org.deeplearning4j.nn.conf.graph.GraphVertex vertex : conf.getVertices().values()) {
      if (vertex instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
        layer.setRegularization(new ArrayList<>(new LinkedHashSet<>(layer.getRegularization())));
        layer.setRegularizationBias(new ArrayList<>(new LinkedHashSet<>(layer.getRegularizationBias())));
      }
    }
  }

  /** The rate of the weights at global step {@code step}, as the schedule gives it to the updater. */
  public double learningRateAt(long step) {
    return rateAt(learningRate, step);
  }

  /** The rate of biases and BatchNorm parameters at {@code step} (Adam: the same as the weights'). */
  public double biasLearningRateAt(long step) {
    return rateAt(biasLearningRate, step);
  }

  private double rateAt(double peak, long step) {
    ISchedule lr = schedule.forPeak(peak);
    return lr == null ? peak : lr.valueAt((int) step, 0);
  }

  private Lars lars(double peak) {
    ISchedule lr = schedule.forPeak(peak);
    return lr == null ? new Lars(peak, momentum) : new Lars(lr, momentum);
  }
}
