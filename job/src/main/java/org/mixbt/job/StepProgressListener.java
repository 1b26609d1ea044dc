package org.mixbt.job;

import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.loss.StepTerms;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;

/**
 * Runs inside each worker's fit: prints a progress line per step (on the executor's console, which in
 * local mode is the driver's) and sends the step's loss terms to the driver through a Spark accumulator,
 * from which the driver builds the epoch's metrics.
 */
final class StepProgressListener extends BaseTrainingListener implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final CollectionAccumulator<StepTerms> steps;
  private final int epoch;
  private final int epochs;
  private final long stepsPerEpoch;
  private final int workers;
  private final int batchSize;
  /** Steps trained in this JVM in the current epoch: listeners are re-created per Spark task. */
  private static final java.util.concurrent.ConcurrentHashMap<Integer, EpochPace> PACE =
      new java.util.concurrent.ConcurrentHashMap<>();

  StepProgressListener(CollectionAccumulator<StepTerms> steps, int epoch, int epochs, long stepsPerEpoch,
      int workers, int batchSize) {
    this.steps = steps;
    this.epoch = epoch;
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
    this.workers = workers;
    this.batchSize = batchSize;
  }

  /** When the driver started the epoch (the listener is made there). */
  private final long epochStartMillis = System.currentTimeMillis();

  /** Start time and step count of one epoch in this JVM. */
  private static final class EpochPace {
    final long startMillis;
    EpochPace(long startMillis) {
      this.startMillis = startMillis;
    }

    final java.util.concurrent.atomic.AtomicLong steps = new java.util.concurrent.atomic.AtomicLong();
  }

  @Override
  public void iterationDone(Model model, int iteration, int epochCount) {
    ComputationGraph graph = (ComputationGraph) model;
    LossLayer loss = (LossLayer) graph.getLayer(MixedBarlowTwinsNetwork.LOSS).conf().getLayer();
    StepTerms terms = ((MixedBarlowTwinsLossFunction) loss.getLossFn()).lastTerms();
    if (terms == null) {
      return;
    }
    steps.add(terms);
    EpochPace pace = PACE.computeIfAbsent(epoch, e -> new EpochPace(epochStartMillis));
    long done = pace.steps.incrementAndGet();
    double seconds = Math.max(1e-3, (System.currentTimeMillis() - pace.startMillis) / 1000.0);
    // In local mode every worker shares this JVM, so `done` counts the whole epoch; on a cluster each
    // executor counts its own share and scales by the worker count (an estimate).
    double share = localShare();
    double imagesPerSecond = done * (double) batchSize / seconds / share;
    double remainingSteps = stepsPerEpoch * (double) (epochs - epoch) - done / share;
    // "step" is the batch's own index in the epoch (what metrics.jsonl and the report's per-step plot use);
    // workers finish their batches out of order, so "done" counts how many have finished so far.
    System.out.printf("epoch %d/%d step %d/%d (done %d) loss_bt %.3f loss_mix %.3f%s  %.1f img/s  ETA %s%n",
        epoch + 1, epochs, terms.step() - epoch * stepsPerEpoch + 1, stepsPerEpoch,
        Math.min(stepsPerEpoch, Math.round(done / share)), terms.lossBt(), terms.lossMix(),
        terms.skipped() ? " (skipped: " + terms.problem() + ")" : "", imagesPerSecond,
        eta(remainingSteps * batchSize / imagesPerSecond));
  }

  /** Fraction of all workers that run in this JVM. */
  private double localShare() {
    org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
    boolean local = env == null || "driver".equals(env.executorId());
    return local ? 1.0 : 1.0 / workers;
  }

  private static String eta(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
