package org.mixbt.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Maps PyTorch state_dict names onto our layers, strictly: torchvision's ResNet names for the encoder
 * ({@code layer1.0.conv1.weight} is {@code layer1_0_conv1}'s {@code W}, a BatchNorm's {@code weight, bias,
 * running_mean, running_var} are our {@code gamma, beta, mean, var}) and {@code projector.<index>} for the
 * projector, with the Sequential indices of the original ({@code Linear, BN, ReLU} per hidden layer, then
 * the output Linear: 0, 1, 3, 4, 6, ...). PyTorch's Linear weight is [out, in], DL4J's [in, out]: it is
 * transposed. {@code num_batches_tracked} buffers are accepted and ignored (nothing reads them in eval or
 * training with a fixed momentum). Callers rename other layouts (e.g. the original's {@code f.}/{@code g.}
 * Sequential prefixes) to these names first.
 */
public final class TorchvisionNames {
  private static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

  private TorchvisionNames() {
  }

  /** One of our parameters and the PyTorch tensor that fills it. */
  public record Target(String layer, String param, boolean transposed) {
  }

  /** Every parameter of {@code graph} by its PyTorch name, in layer order. */
  public static Map<String, Target> expectedKeys(ComputationGraph graph) {
    Map<String, Target> keys = new LinkedHashMap<>();
    for (Layer layer : graph.getLayers()) {
      org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
      String name = conf.getLayerName();
      String module = torchModule(name);
      if (conf instanceof OneDnnConvolution) {
        keys.put(module + ".weight", new Target(name, ConvolutionWeightInitializer.WEIGHT, false));
      } else if (conf instanceof ViewBatchNorm) {
        keys.put(module + ".weight", new Target(name, ViewBatchNormParams.GAMMA, false));
        keys.put(module + ".bias", new Target(name, ViewBatchNormParams.BETA, false));
        keys.put(module + ".running_mean", new Target(name, ViewBatchNormParams.RUNNING_MEAN, false));
        keys.put(module + ".running_var", new Target(name, ViewBatchNormParams.RUNNING_VAR, false));
      } else if (conf instanceof DenseLayer dense) {
        keys.put(module + ".weight", new Target(name, "W", true));
        if (dense.hasBias()) {
          keys.put(module + ".bias", new Target(name, "b", false));
        }
      } else if (layer.numParams() > 0) {
        throw new IllegalArgumentException("Cannot map layer " + name + " to PyTorch names: unknown layer type "
            + conf.getClass().getSimpleName());
      }
    }
    return keys;
  }

  /** Our layer name as a PyTorch module path: {@code layer1_0_downsample_0} → {@code layer1.0.downsample.0}. */
  static String torchModule(String layer) {
    if (layer.startsWith("projector_fc")) {
      return "projector." + 3 * (Integer.parseInt(layer.substring("projector_fc".length())) - 1);
    }
    if (layer.startsWith("projector_bn")) {
      return "projector." + (3 * (Integer.parseInt(layer.substring("projector_bn".length())) - 1) + 1);
    }
    return layer.replace('_', '.');
  }

  /**
   * Copies a state_dict into {@code graph}. Every parameter must be present with its exact shape and no
   * other key may be present (besides {@code num_batches_tracked}); otherwise nothing is copied and the
   * error lists all missing, unexpected and mis-shaped keys.
   */
  public static void load(ComputationGraph graph, Map<String, INDArray> stateDict, String source) {
    Map<String, Target> expected = expectedKeys(graph);
    TreeSet<String> missing = new TreeSet<>(expected.keySet());
    missing.removeAll(stateDict.keySet());
    TreeSet<String> unexpected = new TreeSet<>();
    List<String> misShaped = new ArrayList<>();
    for (Map.Entry<String, INDArray> e : stateDict.entrySet()) {
      Target t = expected.get(e.getKey());
      if (t == null) {
        if (!e.getKey().endsWith("." + NUM_BATCHES_TRACKED)) {
          unexpected.add(e.getKey());
        }
        continue;
      }
      long[] ours = graph.getLayer(t.layer()).getParam(t.param()).shape();
      long[] theirs = torchShape(ours, t);
      if (!Arrays.equals(theirs, e.getValue().shape())) {
        misShaped.add(e.getKey() + " " + Arrays.toString(e.getValue().shape()) + " (expected "
            + Arrays.toString(theirs) + ")");
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty() || !misShaped.isEmpty()) {
      throw new IllegalArgumentException("Cannot load " + source + " into the network: missing keys " + missing
          + ", unexpected keys " + unexpected + ", wrong shapes " + misShaped);
    }
    for (Map.Entry<String, Target> e : expected.entrySet()) {
      Target t = e.getValue();
      INDArray value = stateDict.get(e.getKey());
      INDArray param = graph.getLayer(t.layer()).getParam(t.param());
      param.assign((t.transposed() ? value.transpose() : value).reshape(param.shape()).castTo(param.dataType()));
    }
  }

  /** PyTorch's shape of one of our parameters: Linear weights transposed, vectors (DL4J's [1, n] bias) flat. */
  private static long[] torchShape(long[] ours, Target t) {
    if (t.transposed()) {
      return new long[] {ours[1], ours[0]};
    }
    return ours.length == 2 && ours[0] == 1 ? new long[] {ours[1]} : ours;
  }
}
