package org.mixbt.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class MixedBarlowTwinsNetworkTest {

  /** Parameter count of the reference run's width-16 network at d = 1024 (REFERENCE_RUN.md). */
  @Test
  void widthSixteenNetworkHasTheReferenceParameterCount() {
    NetworkSpec spec = new NetworkSpec(16, 3, 32, 512, 1024, true);
    ComputationGraph net = NetworkFixtures.tinyNetwork(spec, DataType.FLOAT, 0);
    long runningStats = 0;
    for (Layer layer : net.getLayers()) {
      if (layer instanceof ViewBatchNormLayer) {
        runningStats += 2 * layer.getParam(ViewBatchNormParams.RUNNING_MEAN).length();
      }
    }
    // PyTorch counts BN running statistics as buffers, not parameters.
    assertEquals(1_292_048, net.numParams() - runningStats);
  }

  /**
   * The defining property of the network: stacking view1 | view2 | mixed into one minibatch gives the
   * same embeddings as three separate forward passes, each BatchNorm normalising with its own view's
   * statistics, as the original's three calls of the model do.
   */
  @Test
  void stackedViewsAreNormalisedPerView() {
    NetworkSpec spec = NetworkFixtures.tinySpec(true);
    ComputationGraph stacked = NetworkFixtures.tinyNetwork(spec, DataType.DOUBLE, 0);
    MultiDataSet batch = NetworkFixtures.batch(spec, 5, DataType.DOUBLE, 11);
    Map<String, INDArray> acts = stacked.feedForward(batch.getFeatures(), true, false);
    INDArray embeddings = acts.get(MixedBarlowTwinsNetwork.EMBEDDING);

    ComputationGraph single = NetworkFixtures.tinyNetwork(new NetworkSpec(2, 3, 8, 6, 4, false), DataType.DOUBLE, 0);
    for (int v = 0; v < 3; v++) {
      INDArray x = batch.getFeatures(v);
      // A plain network fed the same view twice: each BN group is exactly that view.
      single.setParams(stacked.params());
      INDArray alone = single.feedForward(new INDArray[] {x, x}, true, false).get(MixedBarlowTwinsNetwork.EMBEDDING);
      INDArray mine = embeddings.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(v * 5, (v + 1) * 5));
      INDArray theirs = alone.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5));
      assertArrayEquals(theirs.dup().ravel().toDoubleVector(), mine.dup().ravel().toDoubleVector(), 1e-10, "view " + v);
    }
    // And the views really are normalised differently: a single group over all 15 rows would differ.
    INDArray rowsOne = embeddings.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5));
    assertTrue(rowsOne.norm2Number().doubleValue() > 0);
  }

  @Test
  void featureExtractorReproducesTheTrainingEncoderInInferenceMode() {
    NetworkSpec spec = NetworkFixtures.tinySpec(true);
    ComputationGraph net = NetworkFixtures.tinyNetwork(spec, DataType.FLOAT, 0);
    net.fit(NetworkFixtures.batch(spec, 6, DataType.FLOAT, 3));   // moves running statistics off 0/1
    ComputationGraph extractor = MixedBarlowTwinsNetwork.featureExtractor(spec);
    MixedBarlowTwinsNetwork.copyEncoder(net, extractor);
    INDArray x = NetworkFixtures.batch(spec, 4, DataType.FLOAT, 5).getFeatures(0);
    INDArray viaExtractor = extractor.outputSingle(false, x);
    INDArray viaTraining = net.feedForward(new INDArray[] {x, x, x}, false, false).get(ResNetEncoder.FEATURE)
        .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4));
    assertEquals(spec.baseWidth() * 8L, viaExtractor.size(1));
    assertArrayEquals(viaTraining.dup().ravel().toFloatVector(), viaExtractor.dup().ravel().toFloatVector(), 1e-5f);
  }

  @Test
  void runningStatisticsFollowPyTorchsThreeSequentialUpdates() {
    NetworkSpec spec = NetworkFixtures.tinySpec(true);
    ComputationGraph net = NetworkFixtures.tinyNetwork(spec, DataType.DOUBLE, 0);
    MultiDataSet batch = NetworkFixtures.batch(spec, 4, DataType.DOUBLE, 9);
    INDArray stemInput = net.feedForward(batch.getFeatures(), true, false).get("conv1");
    net.fit(batch);
    INDArray expectedMean = Nd4j.zeros(DataType.DOUBLE, spec.baseWidth());
    INDArray expectedVar = Nd4j.ones(DataType.DOUBLE, spec.baseWidth());
    for (int v = 0; v < 3; v++) {
      INDArray group = stemInput.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(v * 4, (v + 1) * 4));
      expectedMean.muli(0.9).addi(group.mean(0, 2, 3).mul(0.1));
      expectedVar.muli(0.9).addi(group.var(true, 0, 2, 3).mul(0.1));
    }
    Layer bn = net.getLayer("bn1");
    assertArrayEquals(expectedMean.toDoubleVector(), bn.getParam(ViewBatchNormParams.RUNNING_MEAN).toDoubleVector(), 1e-12);
    assertArrayEquals(expectedVar.toDoubleVector(), bn.getParam(ViewBatchNormParams.RUNNING_VAR).toDoubleVector(), 1e-12);
  }
}
