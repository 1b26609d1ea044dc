package org.mixbt.core.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;

/**
 * torchvision's ResNet-18 / ResNet-50 as the original code uses them: a {@link Stem}, four stages of
 * basic or bottleneck blocks with widths w, 2w, 4w, 8w (w = base width; 64 in the paper), global average
 * pooling to the feature; the fc layer is dropped. As torchvision (v1.5), a bottleneck block strides in its
 * 3×3 conv and the shortcut is projected (1×1 conv + BN) when the shape changes.
 *
 * <p>Every convolution runs through {@link OneDnnConvolution}, every BatchNorm is a {@link ViewBatchNorm}
 * (per-view batch statistics). Layer names follow torchvision's ({@code layer1.0.conv1} becomes
 * {@code layer1_0_conv1}) so checkpoints map by name ({@code org.mixbt.core.pytorch.TorchParameterNames}).
 */
public final class ResNetEncoder {
  /** Name of the vertex holding the pooled encoder feature ([rows, featureSize]). */
  public static final String FEATURE = "feature";
  /** Name of the stem's max-pool vertex, present for the STL and ImageNet stems only. */
  public static final String MAXPOOL = "maxpool";

  private final ResNetDepth depth;
  private final Stem stem;
  private final int baseWidth;
  private final int inputChannels;
  private final int views;

  /**
   * @param views number of equal view groups stacked in a training minibatch; each BatchNorm normalises
   *     each group with its own statistics (1 for a plain single-view network)
   */
  public ResNetEncoder(ResNetDepth depth, Stem stem, int baseWidth, int inputChannels, int views) {
    this.depth = depth;
    this.stem = stem;
    this.baseWidth = baseWidth;
    this.inputChannels = inputChannels;
    this.views = views;
  }

  public long featureSize() {
    return depth.featureSize(baseWidth);
  }

  /** Adds the encoder after vertex {@code input}; returns the name of the feature vertex. */
  public String addTo(GraphBuilder graph, String input) {
    graph.addLayer("conv1", new OneDnnConvolution(inputChannels, baseWidth, stem.kernel(), stem.stride(),
        stem.padding()), input);
    graph.addLayer("bn1", new ViewBatchNorm(baseWidth, views), "conv1");
    String previous = relu(graph, "relu1", "bn1");
    if (stem.maxPool()) {
      graph.addLayer(MAXPOOL, new MaxPooling(3, 2, 1), previous);
      previous = MAXPOOL;
    }
    long channels = baseWidth;
    for (int stage = 0; stage < depth.stages(); stage++) {
      long width = (long) baseWidth << stage;
      for (int block = 0; block < depth.blocks(stage); block++) {
        int stride = (stage > 0 && block == 0) ? 2 : 1;
        String name = "layer" + (stage + 1) + "_" + block;
        previous = depth.bottleneck()
            ? bottleneck(graph, name, previous, channels, width, stride)
            : basicBlock(graph, name, previous, channels, width, stride);
        channels = width * depth.expansion();
      }
    }
    graph.addLayer(FEATURE, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous);
    return FEATURE;
  }

  /** conv3x3(stride)-BN-ReLU-conv3x3-BN plus the shortcut, then ReLU. */
  private String basicBlock(GraphBuilder graph, String name, String input, long in, long width, int stride) {
    String x = convBn(graph, name, "1", input, in, width, 3, stride, false);
    x = relu(graph, name + "_relu1", x);
    String branch = convBn(graph, name, "2", x, width, width, 3, 1, stem.zeroInitResidual());
    return join(graph, name, input, branch, in, width, stride);
  }

  /** conv1x1-BN-ReLU-conv3x3(stride)-BN-ReLU-conv1x1(4w)-BN plus the shortcut, then ReLU. */
  private String bottleneck(GraphBuilder graph, String name, String input, long in, long width, int stride) {
    String x = relu(graph, name + "_relu1", convBn(graph, name, "1", input, in, width, 1, 1, false));
    x = relu(graph, name + "_relu2", convBn(graph, name, "2", x, width, width, 3, stride, false));
    String branch = convBn(graph, name, "3", x, width, width * 4, 1, 1, stem.zeroInitResidual());
    return join(graph, name, input, branch, in, width * 4, stride);
  }

  /** {@code <block>_conv<i>} then {@code <block>_bn<i>}; padding keeps the size for odd kernels. */
  private String convBn(GraphBuilder graph, String block, String i, String input, long in, long out, int kernel,
      int stride, boolean zeroGamma) {
    graph.addLayer(block + "_conv" + i, new OneDnnConvolution(in, out, kernel, stride, kernel / 2), input);
    graph.addLayer(block + "_bn" + i, new ViewBatchNorm(out, views, zeroGamma ? 0 : 1), block + "_conv" + i);
    return block + "_bn" + i;
  }

  /** Residual sum with the shortcut (projected by a 1×1 conv + BN when the shape changes), then ReLU. */
  private String join(GraphBuilder graph, String name, String input, String branch, long in, long out, int stride) {
    String shortcut = input;
    if (stride != 1 || in != out) {
      graph.addLayer(name + "_downsample_0", new OneDnnConvolution(in, out, 1, stride, 0), input);
      graph.addLayer(name + "_downsample_1", new ViewBatchNorm(out, views), name + "_downsample_0");
      shortcut = name + "_downsample_1";
    }
    graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), branch, shortcut);
    return relu(graph, name + "_out", name + "_add");
  }

  private static String relu(GraphBuilder graph, String name, String input) {
    graph.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
    return name;
  }
}
