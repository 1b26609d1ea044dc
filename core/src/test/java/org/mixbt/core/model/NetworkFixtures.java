package org.mixbt.core.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.loss.StepLabels;
import org.mixbt.core.train.MixingDraw;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Tiny networks and batches for the model tests. */
final class NetworkFixtures {
  private NetworkFixtures() {
  }

  static NetworkSpec tinySpec(boolean mixing) {
    return new NetworkSpec(2, 3, 8, 6, 4, mixing);
  }

  static ComputationGraph tinyNetwork(NetworkSpec spec, DataType type, double weightDecay) {
    Nd4j.getRandom().setSeed(7);
    MixedBarlowTwinsLossFunction loss =
        new MixedBarlowTwinsLossFunction(0.0078125, 4.0, spec.mixing(), DegenerateBatchPolicy.FAIL);
    return MixedBarlowTwinsNetwork.training(spec, new OptimizerSpec(1e-3, weightDecay, false, 0, 0, 7), loss, type);
  }

  /** A batch of random views (mixed = a·x1 + (1−a)·x2[p]) with its step labels. */
  static MultiDataSet batch(NetworkSpec spec, int n, DataType type, long seed) {
    Nd4j.getRandom().setSeed(seed);
    long[] shape = {n, spec.inputChannels(), spec.imageSize(), spec.imageSize()};
    INDArray x1 = Nd4j.randn(type, shape);
    INDArray x2 = Nd4j.randn(type, shape);
    MixingDraw draw = MixingDraw.draw(seed, 0, 0, n);
    INDArray labels = new StepLabels(draw.alpha(), draw.permutation(), 3).toArray().castTo(type);
    if (!spec.mixing()) {
      return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x1, x2}, new INDArray[] {labels});
    }
    INDArray xm = x1.mul(draw.alpha());
    for (int i = 0; i < n; i++) {
      xm.slice(i).addi(x2.slice(draw.permutation()[i]).mul(1 - draw.alpha()));
    }
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x1, x2, xm}, new INDArray[] {labels});
  }
}
