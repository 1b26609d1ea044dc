package org.mixbt.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.testing.GoldenCase;
import org.nd4j.linalg.api.buffer.DataType;

/** Parameter counts of every CIFAR-stem ResNet-18 variant in arch_facts.json, as PyTorch counts them. */
class ArchitectureFactsTest {

  @Test
  void cifarStemResNet18VariantsHaveTheOriginalsParameterCounts() {
    List<JsonNode> variants = new ArrayList<>();
    GoldenCase.load("arch_facts.json").node("models").forEach(m -> {
      if (m.get("arch").asText().equals("resnet18") && !m.get("maxpool").asBoolean()) {
        variants.add(m);
      }
    });
    assertFalse(variants.isEmpty());
    for (JsonNode m : variants) {
      NetworkSpec spec = new NetworkSpec(m.get("base_width").asInt(), 3, m.get("input_hw").asInt(), 512,
          m.get("feature_dim").asInt(), true);
      ComputationGraph net = MixedBarlowTwinsNetwork.training(spec, new OptimizerSpec(1e-3, 0, false, 0, 0, 0),
          new MixedBarlowTwinsLossFunction(0.0078125, 4.0, true, DegenerateBatchPolicy.FAIL), DataType.FLOAT);
      long runningStats = 0;
      long backbone = 0;
      for (Layer layer : net.getLayers()) {
        String name = layer.conf().getLayer().getLayerName();
        long stats = layer instanceof ViewBatchNormLayer
            ? 2 * layer.getParam(ViewBatchNormParams.RUNNING_MEAN).length() : 0;
        runningStats += stats;
        if (!name.startsWith("projector")) {
          backbone += layer.numParams() - stats;
        }
      }
      String what = m.get("dataset").asText() + " width " + spec.baseWidth() + " d " + spec.featureDim();
      assertEquals(m.get("params_total").asLong(), net.numParams() - runningStats, what);
      assertEquals(m.get("params_backbone_f").asLong(), backbone, what);
      assertEquals(m.get("bn_running_buffers").asLong(), runningStats, what);
    }
  }
}
