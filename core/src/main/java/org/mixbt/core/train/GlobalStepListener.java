package org.mixbt.core.train;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.loss.StepTerms;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;

/**
 * Sets the network's iteration count to the global step of the batch being trained, between the gradient
 * and the update, so that learning-rate schedules and Adam's bias correction see the run's step.
 *
 * <p>Why: DL4J's parameter averaging builds every worker's network from a configuration clone that drops
 * the iteration count (ComputationGraphConfiguration.clone in 1.0.0-M2), so on a worker the count
 * restarts at 0 in every averaging round, and a schedule would replay its first few steps forever. The
 * batch's {@link org.mixbt.core.loss.StepLabels} carry the true step (batch b of epoch e is
 * {@code e · stepsPerEpoch + b}); the loss has just read it, and DL4J asks for the iteration count only
 * after this callback. On a single network the count then equals the original's step counter.
 */
public class GlobalStepListener extends BaseTrainingListener implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  @Override
  public void onGradientCalculation(Model model) {
    ComputationGraph graph = (ComputationGraph) model;
    LossLayer loss = (LossLayer) graph.getLayer(MixedBarlowTwinsNetwork.LOSS).conf().getLayer();
    StepTerms terms = ((MixedBarlowTwinsLossFunction) loss.getLossFn()).lastTerms();
    if (terms == null) {
      throw new IllegalStateException("Cannot set the global step: the loss has not been evaluated on this thread");
    }
    if (terms.step() > Integer.MAX_VALUE) {
      throw new IllegalStateException("Cannot set the global step: " + terms.step() + " exceeds DL4J's int count");
    }
    graph.getConfiguration().setIterationCount((int) terms.step());
  }
}
