package org.mixbt.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.model.ScheduleSpec;
import org.mixbt.core.model.ViewBatchNorm;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * LARS through DL4J's own updater machinery, on the parameters of a tiny network (Linear with bias,
 * BatchNorm, Linear without bias), against two steps of a PyTorch implementation of the original's LARS
 * ({@code fixtures/lars_two_steps.json}, made by {@code make_lars_fixture.py} beside it). Parameters,
 * gradients and learning rates come from the fixture; DL4J's updater and regularization do the rest, so the
 * per-parameter choice (weights vs biases and BN), the block layout of the updater state and the order
 * "decay, trust ratio, momentum" are all exercised. Tolerance 1e-12 absolute in float64: the values are
 * O(1) and the computation is a handful of operations.
 */
class LarsTest {
  private static final String[] KEYS = {"fc_W", "fc_b", "bn_gamma", "bn_beta", "head_W"};
  private static final JsonNode FIXTURE = load("fixtures/lars_two_steps.json");
  private static final double TOL = 1e-12;

  @Test
  void twoStepsEqualThePyTorchReference() {
    ComputationGraph net = tinyNetwork(FIXTURE.get("hyper").get("weight_decay").asDouble());
    assign(net, FIXTURE.get("initial"));
    for (int step = 0; step < 2; step++) {
      JsonNode expected = FIXTURE.get("steps").get(step);
      update(net, expected.get("grad"), step);
      for (String key : KEYS) {
        assertClose(array(expected.get("params").get(key)), param(net, key), "step " + (step + 1) + " " + key);
      }
    }
  }

  @Test
  void momentumStateEqualsThePyTorchBuffers() {
    ComputationGraph net = tinyNetwork(FIXTURE.get("hyper").get("weight_decay").asDouble());
    assign(net, FIXTURE.get("initial"));
    update(net, FIXTURE.get("steps").get(0).get("grad"), 0);
    update(net, FIXTURE.get("steps").get(1).get("grad"), 1);
    // The updater state is one flat array of the momentum buffers (what parameter averaging averages):
    // every buffer of the fixture must appear in it, and nothing else may be non-zero.
    INDArray state = net.getUpdater().getStateViewArray().castTo(DataType.DOUBLE);
    double expectedSquares = 0;
    for (String key : KEYS) {
      INDArray mu = array(FIXTURE.get("steps").get(1).get("momentum").get(key));
      expectedSquares += mu.mul(mu).sumNumber().doubleValue();
      assertTrue(containsSlice(state, mu.ravel()) || containsSlice(state, Nd4j.toFlattened('f', mu)),
          "momentum of " + key + " not found in the updater state");
    }
    assertEquals(expectedSquares, state.mul(state).sumNumber().doubleValue(), 1e-10);
  }

  @Test
  void biasesAndBatchNormGetNeitherDecayNorAdaptation() {
    // First step from zero momentum: mu = dp, so a bias or BN parameter moves by exactly lr_b * gradient
    // whatever the weight decay, and a weight moves by lr_w * eta * |p| / |g + wd p| * (g + wd p).
    double lrW = 0.8;
    double lrB = 0.0192;
    for (double wd : new double[] {0, 0.05}) {
      ComputationGraph net = tinyNetwork(wd);
      assign(net, FIXTURE.get("initial"));
      JsonNode grads = FIXTURE.get("steps").get(0).get("grad");
      update(net, grads, 0);
      for (String key : new String[] {"fc_b", "bn_gamma", "bn_beta"}) {
        INDArray before = array(FIXTURE.get("initial").get(key));
        INDArray expected = before.sub(array(grads.get(key)).mul(lrB));
        assertClose(expected, param(net, key), key + " with weight decay " + wd);
      }
      INDArray p = array(FIXTURE.get("initial").get("fc_W"));
      INDArray d = array(grads.get("fc_W")).add(p.mul(wd));
      double q = 0.001 * p.norm2Number().doubleValue() / d.norm2Number().doubleValue();
      assertClose(p.sub(d.mul(q * lrW)), param(net, "fc_W"), "fc_W with weight decay " + wd);
      // head_W starts at zero: trust ratio 1 (not 0), so it moves by the full lr_w * g
      INDArray head = array(grads.get("head_W")).mul(-lrW);
      assertClose(head, param(net, "head_W"), "zero-norm head_W with weight decay " + wd);
    }
  }

  @Test
  void weightsAndBiasesGetTheirOwnConfiguration() {
    ComputationGraph net = tinyNetwork(1e-6);
    var fc = (org.deeplearning4j.nn.conf.layers.BaseLayer) net.getLayer("fc").conf().getLayer();
    var bn = (ViewBatchNorm) net.getLayer("bn").conf().getLayer();
    assertEquals(List.of(new L2Regularization(1e-6), new LarsTrustRatio(0.001)), fc.getRegularizationByParam("W"));
    assertEquals(List.of(), fc.getRegularizationByParam("b"));
    assertEquals(List.of(), bn.getRegularizationByParam("gamma"));
    assertEquals(List.of(), bn.getRegularizationByParam("beta"));
    Lars weights = (Lars) fc.getUpdaterByParam("W");
    Lars biases = (Lars) fc.getUpdaterByParam("b");
    assertEquals(biases, bn.getUpdaterByParam("gamma"));
    assertEquals(0.8, weights.getLearningRate(0, 0), 1e-15);
    assertEquals(0.0192, biases.getLearningRate(0, 0), 1e-15);
    assertNotEquals(weights, biases);
  }

  @Test
  void configurationSurvivesJsonAsSparkBroadcastsIt() {
    ComputationGraph net = tinyNetwork(1e-6);
    ComputationGraphConfiguration conf = net.getConfiguration();
    ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
    assertEquals(conf, back);
    var vertex = (org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("fc");
    var fc = (org.deeplearning4j.nn.conf.layers.BaseLayer) vertex.getLayerConf().getLayer();
    assertEquals(0.6, ((Lars) fc.getUpdaterByParam("W")).getLearningRate(1, 0), 1e-15);
  }

  /** fc (3→4, bias) → bn (4) → head (4→2, no bias) → MSE; LARS as main_imagenet.py configures it. */
  static ComputationGraph tinyNetwork(double weightDecay) {
    // lr 0.8 / 0.0192 at step 0, ×0.75 from step 1: the fixture's rates 0.6 / 0.0144
    ScheduleSpec schedule = ScheduleSpec.step(1, List.of(1), 0.75);
    OptimizerSpec lars = OptimizerSpec.lars(0.8, 0.0192, weightDecay, 0.9, 0.001, schedule, 1);
    ComputationGraphConfiguration conf = lars.configure(new NeuralNetConfiguration.Builder())
        .dataType(DataType.DOUBLE)
        .graphBuilder()
        .addInputs("in")
        .addLayer("fc", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.IDENTITY).build(), "in")
        .addLayer("bn", new ViewBatchNorm(4, 1), "fc")
        .addLayer("head", new DenseLayer.Builder().nIn(4).nOut(2).hasBias(false).activation(Activation.IDENTITY)
            .build(), "bn")
        .addLayer("loss", new LossLayer.Builder().lossFunction(LossFunctions.LossFunction.MSE)
            .activation(Activation.IDENTITY).build(), "head")
        .setOutputs("loss")
        .setInputTypes(InputType.feedForward(3))
        .build();
    OptimizerSpec.removeDuplicateRegularization(conf);
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    // One backward pass creates DL4J's gradient views; their values are replaced by the fixture's.
    net.setInputs(Nd4j.rand(DataType.DOUBLE, 5, 3));
    net.setLabels(Nd4j.rand(DataType.DOUBLE, 5, 2));
    net.computeGradientAndScore();
    return net;
  }

  /** One optimiser step with the given gradients, as DL4J's solver applies it (params −= update). */
  static void update(ComputationGraph net, JsonNode grads, int iteration) {
    Gradient gradient = net.gradient();
    for (Map.Entry<String, INDArray> e : gradient.gradientForVariable().entrySet()) {
      JsonNode g = grads.get(e.getKey());
      if (g == null) {
        e.getValue().assign(0); // BN running statistics: not trained by gradient
      } else {
        e.getValue().assign(array(g).reshape(e.getValue().shape()));
      }
    }
    net.getUpdater().update(gradient, iteration, 0, 1, LayerWorkspaceMgr.noWorkspaces());
    net.params().subi(gradient.gradient());
  }

  static void assign(ComputationGraph net, JsonNode params) {
    for (String key : KEYS) {
      INDArray p = param(net, key);
      p.assign(array(params.get(key)).reshape(p.shape()));
    }
  }

  static INDArray param(ComputationGraph net, String key) {
    int cut = key.indexOf('_');
    return net.getLayer(key.substring(0, cut)).getParam(key.substring(cut + 1));
  }

  static INDArray array(JsonNode node) {
    long[] shape = new long[node.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = node.get("shape").get(i).asLong();
    }
    double[] data = new double[node.get("data").size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = node.get("data").get(i).asDouble();
    }
    return Nd4j.create(data, shape, DataType.DOUBLE);
  }

  static void assertClose(INDArray expected, INDArray actual, String what) {
    INDArray a = actual.castTo(DataType.DOUBLE).reshape(expected.shape());
    double err = expected.sub(a).amaxNumber().doubleValue();
    assertTrue(err <= TOL, what + ": max abs error " + err + "\nexpected " + expected + "\nactual " + a);
  }

  private static boolean containsSlice(INDArray flat, INDArray part) {
    double[] f = flat.toDoubleVector();
    double[] p = part.toDoubleVector();
    for (int start = 0; start + p.length <= f.length; start++) {
      boolean all = true;
      for (int i = 0; i < p.length && all; i++) {
        all = Math.abs(f[start + i] - p[i]) <= TOL;
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode load(String resource) {
    try (InputStream in = LarsTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
