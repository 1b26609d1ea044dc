package org.mixbt.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.testing.GoldenCase;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Parameter counts and multiply-adds of every network variant in arch_facts.json, as PyTorch counts them
 * (BN running statistics are buffers, not parameters). Counted from the configuration, so the full-width
 * networks need no memory; one small network checks that the built graph holds what the configuration says.
 */
class ArchitectureFactsTest {
  private static final MixedBarlowTwinsLossFunction LOSS =
      new MixedBarlowTwinsLossFunction(0.0078125, 4.0, true, DegenerateBatchPolicy.FAIL);
  private static final OptimizerSpec OPT = new OptimizerSpec(1e-3, 0, false, 0, 0, 0);

  /** What one configuration adds up to. */
  private record Counts(long total, long backbone, long runningStats, long convMacs, long linearMacs) {
  }

  @Test
  void everyVariantHasTheOriginalsCounts() {
    int checked = 0;
    for (JsonNode m : GoldenCase.load("arch_facts.json").node("models")) {
      Stem stem = m.get("maxpool").asBoolean() ? Stem.STL : Stem.CIFAR;
      NetworkSpec spec = new NetworkSpec(ResNetDepth.valueOf(m.get("arch").asText().toUpperCase()), stem,
          m.get("base_width").asInt(), 3, m.get("input_hw").asInt(), ProjectorKind.SMALL, List.of(512),
          m.get("feature_dim").asInt(), true);
      Counts c = count(spec);
      String what = m.get("arch").asText() + " " + m.get("dataset").asText() + " " + m.get("input_hw").asInt()
          + "px width " + spec.baseWidth() + " d " + spec.featureDim();
      assertEquals(m.get("params_total").asLong(), c.total(), what);
      assertEquals(m.get("params_backbone_f").asLong(), c.backbone(), what);
      assertEquals(m.get("params_projector_g").asLong(), c.total() - c.backbone(), what);
      assertEquals(m.get("bn_running_buffers").asLong(), c.runningStats(), what);
      assertEquals(m.get("embedding_dim").asLong(), spec.featureSize(), what);
      // Multiply-adds pin down every stride, padding and the max-pool's output size.
      assertEquals(m.get("conv_macs").asLong(), c.convMacs(), what);
      assertEquals(m.get("linear_macs").asLong(), c.linearMacs(), what);
      checked++;
    }
    assertEquals(10, checked);
  }

  /**
   * The ImageNet path (not in arch_facts.json): torchvision's resnet50 without fc has 23 508 032 parameters
   * and 53 120 BN buffer elements (printed by torchvision 0.14 in fixtures/forward_parity/make_fixtures.py's
   * environment); the projector 2048-8192-8192-8192 has 2048·8192 + 2·8192 + 2·8192² + 2·8192 parameters.
   */
  @Test
  void imageNetResNet50HasTorchvisionsCounts() {
    NetworkSpec spec = new NetworkSpec(ResNetDepth.RESNET50, Stem.IMAGENET, 64, 3, 224, ProjectorKind.IMAGENET,
        List.of(8192, 8192), 8192, true);
    Counts c = count(spec);
    assertEquals(23_508_032L, c.backbone());
    assertEquals(2048L * 8192 + 2 * 8192 + 2L * 8192 * 8192 + 2 * 8192, c.total() - c.backbone());
    assertEquals(53_120L + 4 * 8192, c.runningStats());
    // torchvision's resnet50 at 224 px: 4.09 GMACs for the convolutions (the well-known "4.1 GFLOPs").
    assertTrue(Math.abs(c.convMacs() - 4.09e9) < 0.01e9, "conv MACs " + c.convMacs());
  }

  /** The initialised graph agrees with the configuration count (and zero_init_residual zeroes bn3). */
  @Test
  void builtNetworkHoldsTheConfiguredParameters() {
    NetworkSpec spec = new NetworkSpec(ResNetDepth.RESNET50, Stem.IMAGENET, 4, 3, 32, ProjectorKind.IMAGENET,
        List.of(16, 16), 8, true);
    ComputationGraph net = MixedBarlowTwinsNetwork.training(spec, OPT, LOSS, DataType.FLOAT);
    Counts c = count(spec);
    assertEquals(c.total(), MixedBarlowTwinsNetwork.trainableParameters(net));
    assertEquals(0.0, net.getLayer("layer3_5_bn3").getParam(ViewBatchNormParams.GAMMA).sumNumber().doubleValue());
    assertEquals(16.0, net.getLayer("layer3_5_bn2").getParam(ViewBatchNormParams.GAMMA).sumNumber().doubleValue());
    assertEquals(64.0, net.getLayer("layer3_0_downsample_1").getParam(ViewBatchNormParams.GAMMA).sumNumber()
        .doubleValue());
  }

  private static Counts count(NetworkSpec spec) {
    ComputationGraphConfiguration conf = MixedBarlowTwinsNetwork.trainingConfiguration(spec, OPT, LOSS);
    InputType[] inputs = new InputType[spec.views()];
    java.util.Arrays.fill(inputs, InputType.convolutional(spec.imageSize(), spec.imageSize(), spec.inputChannels()));
    Map<String, InputType> outputTypes = conf.getLayerActivationTypes(inputs);
    long total = 0;
    long backbone = 0;
    long stats = 0;
    long convMacs = 0;
    long linearMacs = 0;
    for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
      if (!(e.getValue() instanceof LayerVertex)) {
        continue;
      }
      Layer layer = ((LayerVertex) e.getValue()).getLayerConf().getLayer();
      long params = layer.initializer().numParams(layer);
      long layerStats = layer instanceof ViewBatchNorm ? 2 * ((ViewBatchNorm) layer).getNOut() : 0;
      total += params - layerStats;
      stats += layerStats;
      if (!e.getKey().startsWith("projector")) {
        backbone += params - layerStats;
      }
      if (layer instanceof OneDnnConvolution conv) {
        InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) outputTypes.get(e.getKey());
        convMacs += out.getHeight() * out.getWidth() * out.getChannels() * conv.getNIn() * conv.getKernel()
            * conv.getKernel();
      } else if (layer instanceof DenseLayer dense) {
        linearMacs += dense.getNIn() * dense.getNOut();
      }
    }
    return new Counts(total, backbone, stats, convMacs, linearMacs);
  }
}
