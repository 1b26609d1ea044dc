package org.mixbt.job;

import java.io.Serializable;
import java.util.List;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.model.ScheduleSpec;

/**
 * The {@code mixbt.optimizer} and {@code mixbt.schedule} sections, read eagerly. Turned into an
 * {@link OptimizerSpec} once the run knows its steps per epoch and worker count.
 */
record OptimizerSettings(OptimizerSpec.Algorithm algorithm, double learningRate, double weightDecay,
    boolean scaleByBatch, double biasLearningRate, double momentum, double eta, ScheduleSpec.Kind schedule,
    int warmupEpochs, int firstEpoch, List<Integer> milestones, double gamma) implements Serializable {

  static OptimizerSettings read(ConfigReader optimizer, ConfigReader schedule, int epochs) {
    OptimizerSpec.Algorithm algorithm = optimizer.choice("type", "adam", "lars").equals("adam")
        ? OptimizerSpec.Algorithm.ADAM : OptimizerSpec.Algorithm.LARS;
    ConfigReader lars = optimizer.child("lars");
    String kind = schedule.choice("type", "constant", "cosine-warmup", "step");
    ScheduleSpec.Kind scheduleKind = switch (kind) {
      case "cosine-warmup" -> ScheduleSpec.Kind.WARMUP_COSINE;
      case "step" -> ScheduleSpec.Kind.STEP;
      default -> ScheduleSpec.Kind.CONSTANT;
    };
    int warmup = schedule.intAtLeast("warmup-epochs", 0);
    if (scheduleKind == ScheduleSpec.Kind.WARMUP_COSINE && warmup >= epochs) {
      throw new ConfigException("Cannot use mixbt.schedule.warmup-epochs = " + warmup
          + ": must be less than mixbt.training.epochs = " + epochs + " for schedule cosine-warmup");
    }
    return new OptimizerSettings(algorithm, optimizer.positive("learning-rate"),
        optimizer.doubleAtLeast("weight-decay", 0), optimizer.bool("scale-by-batch"),
        lars.positive("bias-learning-rate"), lars.probabilityBelowOne("momentum"), lars.positive("eta"),
        scheduleKind, warmup, schedule.intAtLeast("first-epoch", 0), schedule.ascendingEpochs("milestones"),
        schedule.positive("gamma"));
  }

  /** The factor the rates are multiplied by: global batch / 256 when scaling, else 1. */
  double batchScale(int globalBatch) {
    return scaleByBatch ? globalBatch / 256.0 : 1.0;
  }

  /**
   * The optimiser of a run whose steps are counted globally (batch b of epoch e is step e · stepsPerEpoch
   * + b, whichever worker trains it) and whose averaging steps combine {@code plan.globalBatch()} images.
   */
  OptimizerSpec spec(long stepsPerEpoch, int epochs, AveragingPlan plan, long seed) {
    return spec(stepsPerEpoch, epochs, plan.globalBatch(), seed);
  }

  /** As {@link #spec(long, int, AveragingPlan, long)}, for callers without Spark (one network, one batch). */
  OptimizerSpec spec(long stepsPerEpoch, int epochs, int globalBatch, long seed) {
    ScheduleSpec shape = switch (schedule) {
      case WARMUP_COSINE -> ScheduleSpec.warmupCosine(stepsPerEpoch, epochs, warmupEpochs, firstEpoch);
      case STEP -> ScheduleSpec.step(stepsPerEpoch, milestones, gamma);
      default -> ScheduleSpec.constant();
    };
    double scale = batchScale(globalBatch);
    return algorithm == OptimizerSpec.Algorithm.ADAM
        ? OptimizerSpec.adam(learningRate * scale, weightDecay, shape, seed)
        : OptimizerSpec.lars(learningRate * scale, biasLearningRate * scale, weightDecay, momentum, eta, shape, seed);
  }

  /** The schedule as mixbt.schedule.type names it. */
  String scheduleName() {
    return switch (schedule) {
      case WARMUP_COSINE -> "cosine-warmup";
      case STEP -> "step";
      default -> "constant";
    };
  }

  /** One line for the start of a run: the global batch and what the rates became. */
  String describe(AveragingPlan plan) {
    int global = plan.globalBatch();
    int workers = plan.workers();
    int batchSize = plan.batchSizePerWorker();
    String rates = algorithm == OptimizerSpec.Algorithm.ADAM
        ? "learning rate " + learningRate * batchScale(global)
        : "learning rates " + learningRate * batchScale(global) + " (weights), "
            + biasLearningRate * batchScale(global) + " (biases, BN)";
    return String.format("Optimiser %s, schedule %s: global batch %d (%d workers x %d) per averaging step; %s%s",
        algorithm.name().toLowerCase(), scheduleName(), global, workers, batchSize,
        rates, scaleByBatch ? " = configured x " + global + "/256" : " (as configured, not scaled by batch)");
  }
}
