package org.mixbt.core.pytorch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.mixbt.core.model.ConvolutionWeightInitializer;
import org.mixbt.core.model.OneDnnConvolution;
import org.mixbt.core.model.ResNetEncoder;
import org.mixbt.core.model.ViewBatchNorm;
import org.mixbt.core.model.ViewBatchNormParams;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one table from our parameters to PyTorch state_dict keys, for every network variant. Layer names follow
 * torchvision's module paths with '_' for '.' ({@code layer1_0_downsample_0} is {@code layer1.0.downsample.0},
 * {@code layer3_2_bn3} a bottleneck's third BatchNorm), projector layers are {@code projector_fc<i>} /
 * {@code projector_bn<i>} ({@link org.mixbt.core.model.Projector}); a {@link TorchKeyLayout} adds the checkpoint's
 * prefixes and numbering. A Linear without bias (the ImageNet projector's output) has no {@code .bias} key. New
 * network variants need an entry here only for a new layer kind or a new top-level child.
 */
final class TorchParameterNames {
  /** torchvision ResNet's children in {@code named_children()} order: the original's {@code f.<i>} indexes them. */
  static final List<String> RESNET_CHILDREN = List.of("conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3",
      "layer4", "avgpool", "fc");
  private static final Pattern PROJECTOR_LINEAR = Pattern.compile("projector_fc(\\d+)");
  private static final Pattern PROJECTOR_BN = Pattern.compile("projector_bn(\\d+)");

  /** How a parameter's values move: same layout, a vector, or a Linear weight ([out, in] there, [in, out] here). */
  enum Transform { SAME, VECTOR, TRANSPOSE }

  /** One parameter of ours and its key in the checkpoint. */
  record Target(String key, String layer, String param, Transform transform, long[] torchShape) {
  }

  /** Per layer kind: our parameter key, the PyTorch attribute, the transform. */
  private record Rule(String param, String torchName, Transform transform) {
  }

  private static final Map<Class<?>, List<Rule>> RULES = Map.of(
      OneDnnConvolution.class, List.of(new Rule(ConvolutionWeightInitializer.WEIGHT, "weight", Transform.SAME)),
      ViewBatchNorm.class, List.of(new Rule(ViewBatchNormParams.GAMMA, "weight", Transform.VECTOR),
          new Rule(ViewBatchNormParams.BETA, "bias", Transform.VECTOR),
          new Rule(ViewBatchNormParams.RUNNING_MEAN, "running_mean", Transform.VECTOR),
          new Rule(ViewBatchNormParams.RUNNING_VAR, "running_var", Transform.VECTOR)),
      DenseLayer.class, List.of(new Rule("W", "weight", Transform.TRANSPOSE), new Rule("b", "bias", Transform.VECTOR)));
  /**
   * Buffers PyTorch saves that have no counterpart here, per layer kind. BatchNorm's num_batches_tracked only
   * matters with momentum=None (a cumulative average), which the original never uses; it is ignored.
   */
  private static final Map<Class<?>, List<String>> IGNORED = Map.of(ViewBatchNorm.class, List.of("num_batches_tracked"));

  private TorchParameterNames() {}

  /** Every parameter of {@code graph} with its key under {@code layout}. */
  static List<Target> targets(ComputationGraph graph, TorchKeyLayout layout) {
    boolean maxPool = hasMaxPool(graph);
    List<Target> out = new ArrayList<>();
    for (Layer layer : graph.getLayers()) {
      if (layer.numParams() == 0) {
        continue;
      }
      String name = layer.conf().getLayer().getLayerName();
      String module = modulePath(name, layout, maxPool);
      for (Rule rule : rules(layer, name)) {
        INDArray p = layer.getParam(rule.param());
        if (p != null) {
          out.add(new Target(module + "." + rule.torchName(), name, rule.param(), rule.transform(),
              torchShape(p, rule.transform())));
        }
      }
    }
    return out;
  }

  /**
   * Checkpoint keys that carry nothing we use: BN's num_batches_tracked of our layers, and the layout's own
   * (Barlow Twins' loss BatchNorm buffers).
   */
  static List<String> ignoredKeys(ComputationGraph graph, TorchKeyLayout layout) {
    boolean maxPool = hasMaxPool(graph);
    List<String> out = new ArrayList<>(layout.ignoredKeys());
    for (Layer layer : graph.getLayers()) {
      String name = layer.conf().getLayer().getLayerName();
      for (String buffer : IGNORED.getOrDefault(layer.conf().getLayer().getClass(), List.of())) {
        out.add(modulePath(name, layout, maxPool) + "." + buffer);
      }
    }
    return out;
  }

  /** Whether {@code key} belongs to a part an encoder-only import skips: the projector or torchvision's fc. */
  static boolean headKey(String key, TorchKeyLayout layout) {
    return key.startsWith(layout.projectorPrefix()) || key.startsWith(layout.encoderPrefix() + "fc.");
  }

  static String modulePath(String layerName, TorchKeyLayout layout, boolean maxPool) {
    Matcher linear = PROJECTOR_LINEAR.matcher(layerName);
    if (linear.matches()) {
      return layout.projectorPrefix() + 3 * (Integer.parseInt(linear.group(1)) - 1);
    }
    Matcher bn = PROJECTOR_BN.matcher(layerName);
    if (bn.matches()) {
      return layout.projectorPrefix() + (3 * (Integer.parseInt(bn.group(1)) - 1) + 1);
    }
    String[] parts = layerName.split("_");
    String child = parts[0];
    if (!RESNET_CHILDREN.contains(child)) {
      throw new IllegalStateException("Cannot name layer " + layerName + " for a PyTorch checkpoint: " + child
          + " is not a torchvision ResNet child " + RESNET_CHILDREN);
    }
    String rest = parts.length > 1 ? "." + String.join(".", Arrays.asList(parts).subList(1, parts.length)) : "";
    if (!layout.sequentialEncoder()) {
      return layout.encoderPrefix() + child + rest;
    }
    List<String> kept = RESNET_CHILDREN.stream().filter(c -> !c.equals("fc") && (maxPool || !c.equals("maxpool")))
        .toList();
    return layout.encoderPrefix() + kept.indexOf(child) + rest;
  }

  /** The CIFAR stem has no max-pool, and the original's CIFAR model drops it from f, which shifts f's indices. */
  private static boolean hasMaxPool(ComputationGraph graph) {
    return graph.getConfiguration().getVertices().containsKey(ResNetEncoder.MAXPOOL);
  }

  private static List<Rule> rules(Layer layer, String name) {
    List<Rule> rules = RULES.get(layer.conf().getLayer().getClass());
    if (rules == null) {
      throw new IllegalStateException("Cannot map layer " + name + " to a PyTorch checkpoint: no rule for "
          + layer.conf().getLayer().getClass().getSimpleName());
    }
    return rules;
  }

  private static long[] torchShape(INDArray p, Transform transform) {
    return switch (transform) {
      case SAME -> p.shape();
      case VECTOR -> new long[] {p.length()};
      case TRANSPOSE -> new long[] {p.size(1), p.size(0)};
    };
  }
}
