package org.mixbt.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.loss.StepLabels;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.NetworkSpec;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.model.ScheduleSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The updater sees the batch's global step, not the network's own count: with a warm-up schedule whose
 * rate is 0 at step 0, a fresh network (count 0) trained on a step-0 batch does not move, and one trained
 * on a step-6 batch does, by three times what a step-2 batch moves it (the warm-up is linear).
 */
class GlobalStepListenerTest {
  private static final NetworkSpec SPEC = new NetworkSpec(2, 3, 8, 6, 4, true);

  @Test
  void theUpdaterUsesTheStepFromTheLabels() {
    // 4 steps per epoch, warm-up 2 epochs: rate(step) = 0.1 * step / 8 for step < 8
    OptimizerSpec lars = OptimizerSpec.lars(0.1, 0.01, 0, 0.9, 0.001, ScheduleSpec.warmupCosine(4, 10, 2, 0), 5);
    ComputationGraph start = MixedBarlowTwinsNetwork.training(SPEC, lars,
        new MixedBarlowTwinsLossFunction(0.0078125, 4.0, true, DegenerateBatchPolicy.FAIL));

    ComputationGraph atZero = trainOneStep(start, 0);
    assertEquals(1, atZero.getConfiguration().getIterationCount());
    // (BN running statistics are parameters too and move in any training forward pass: compare weights)
    for (String p : new String[] {"W", "b"}) {
      assertEquals(start.getLayer("projector_fc2").getParam(p), atZero.getLayer("projector_fc2").getParam(p),
          "rate 0 at step 0: projector_fc2 " + p);
    }

    ComputationGraph atSix = trainOneStep(start, 6);
    assertEquals(7, atSix.getConfiguration().getIterationCount());
    // From zero momentum a bias moves by rate_b(step) * gradient, and the gradient does not depend on the
    // step (same views and mixing draw): the move at step 6 is 3 times the move at step 2.
    ComputationGraph atTwo = trainOneStep(start, 2);
    INDArray before = start.getLayer("projector_fc2").getParam("b");
    INDArray moveSix = before.sub(atSix.getLayer("projector_fc2").getParam("b"));
    INDArray moveTwo = before.sub(atTwo.getLayer("projector_fc2").getParam("b"));
    assertTrue(moveTwo.amaxNumber().doubleValue() > 0, "step 2 should train");
    double err = moveSix.sub(moveTwo.mul(3)).amaxNumber().doubleValue();
    assertTrue(err <= 1e-5 * moveSix.amaxNumber().doubleValue(), "move at step 6 vs 3 x step 2: error " + err);
  }

  private static ComputationGraph trainOneStep(ComputationGraph start, long step) {
    ComputationGraph net = start.clone();
    net.setListeners(new GlobalStepListener());
    net.fit(batch(step));
    return net;
  }

  private static MultiDataSet batch(long step) {
    Nd4j.getRandom().setSeed(11);
    INDArray x1 = Nd4j.rand(DataType.FLOAT, 8, 3, 8, 8);
    INDArray x2 = Nd4j.rand(DataType.FLOAT, 8, 3, 8, 8);
    MixingDraw draw = MixingDraw.draw(1, 0, 0, 8);
    INDArray labels = new StepLabels(draw.alpha(), draw.permutation(), step).toArray();
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x1, x2, x1.add(x2).muli(0.5)},
        new INDArray[] {labels});
  }
}
