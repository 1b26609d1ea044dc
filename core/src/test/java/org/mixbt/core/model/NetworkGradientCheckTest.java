package org.mixbt.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Finite differences of the whole small network in double precision: conv2d/conv2d_bp, the per-view
 * batchnorm/batchnorm_bp, ReLU, residual adds, pooling, projector, L2 normalisation and the Mixed
 * Barlow Twins loss, against DL4J's backpropagated gradient. (DL4J's own GradientCheckUtil mislabels
 * parameters on branched graphs, so the check is written here.)
 */
class NetworkGradientCheckTest {
  private static final double STEP = 1e-6;

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void backpropagationMatchesFiniteDifferences(boolean mixing) {
    NetworkSpec spec = NetworkFixtures.tinySpec(mixing);
    ComputationGraph net = NetworkFixtures.tinyNetwork(spec, DataType.DOUBLE, 0);
    MultiDataSet batch = NetworkFixtures.batch(spec, 6, DataType.DOUBLE, 21);
    net.setInputs(batch.getFeatures());
    net.setLabels(batch.getLabels());
    net.computeGradientAndScore();
    // DL4J divides by the minibatch size in the updater, so the raw gradient is N·dL/dθ.
    int n = (int) batch.getFeatures(0).size(0);
    Map<String, INDArray> gradients = net.gradient().gradientForVariable();

    SplittableRandom pick = new SplittableRandom(5);
    int checked = 0;
    double worst = 0;
    for (Layer layer : net.getLayers()) {
      String name = layer.conf().getLayer().getLayerName();
      for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
        if (p.getKey().equals(ViewBatchNormParams.RUNNING_MEAN) || p.getKey().equals(ViewBatchNormParams.RUNNING_VAR)) {
          continue;   // not trained by gradient; checked in MixedBarlowTwinsNetworkTest
        }
        INDArray param = p.getValue();
        INDArray grad = gradients.get(name + "_" + p.getKey());
        for (int t = 0; t < 3; t++) {
          long i = pick.nextLong(param.length());
          double analytic = grad.getDouble(i) / n;
          double numeric = numericDerivative(net, batch, param, i);
          double error = Math.abs(analytic - numeric) / Math.max(1e-3, Math.abs(analytic) + Math.abs(numeric));
          worst = Math.max(worst, error);
          assertTrue(error < 1e-5, name + "_" + p.getKey() + "[" + i + "]: analytic " + analytic
              + " numeric " + numeric);
          checked++;
        }
      }
    }
    assertTrue(checked > 100, "checked " + checked);
    System.out.printf("gradient check (mixing=%s): %d parameters, worst relative error %.2e%n", mixing, checked, worst);
  }

  private static double numericDerivative(ComputationGraph net, MultiDataSet batch, INDArray param, long i) {
    double original = param.getDouble(i);
    param.putScalar(i, original + STEP);
    double plus = net.score(batch, true);
    param.putScalar(i, original - STEP);
    double minus = net.score(batch, true);
    param.putScalar(i, original);
    return (plus - minus) / (2 * STEP);
  }
}
