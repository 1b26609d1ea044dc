package org.mixbt.core.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;

/**
 * The CIFAR-stem ResNet-18 encoder of the original code: torchvision's ResNet-18 with conv1 replaced by a
 * 3×3 stride-1 convolution and no max-pool, four stages of two basic blocks with widths
 * w, 2w, 4w, 8w (w = base width; 64 in the paper), global average pooling to an 8w-d feature.
 * The fc layer is dropped. Layer names follow torchvision's ({@code layer1.0.conv1} becomes
 * {@code layer1_0_conv1}) so checkpoints can be mapped by name.
 */
public final class ResNet18Encoder {
  /** Name of the vertex holding the pooled encoder feature ([rows, 8w]). */
  public static final String FEATURE = "feature";
  private static final int[] BLOCKS_PER_STAGE = {2, 2, 2, 2};

  private final int baseWidth;
  private final int inputChannels;
  private final int views;

  /**
   * @param views number of equal view groups stacked in a training minibatch; each BatchNorm normalises
   *     each group with its own statistics (1 for a plain single-view network)
   */
  public ResNet18Encoder(int baseWidth, int inputChannels, int views) {
    this.baseWidth = baseWidth;
    this.inputChannels = inputChannels;
    this.views = views;
  }

  public long featureSize() {
    return 8L * baseWidth;
  }

  /** Adds the encoder after vertex {@code input}; returns the name of the feature vertex. */
  public String addTo(GraphBuilder graph, String input) {
    graph.addLayer("conv1", new OneDnnConvolution(inputChannels, baseWidth, 3, 1, 1), input);
    graph.addLayer("bn1", new ViewBatchNorm(baseWidth, views), "conv1");
    String previous = relu(graph, "relu1", "bn1");
    long channels = baseWidth;
    for (int stage = 0; stage < BLOCKS_PER_STAGE.length; stage++) {
      long width = (long) baseWidth << stage;
      for (int block = 0; block < BLOCKS_PER_STAGE[stage]; block++) {
        int stride = (stage > 0 && block == 0) ? 2 : 1;
        String name = "layer" + (stage + 1) + "_" + block;
        previous = basicBlock(graph, name, previous, channels, width, stride);
        channels = width;
      }
    }
    graph.addLayer(FEATURE, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous);
    return FEATURE;
  }

  /** conv3x3-BN-ReLU-conv3x3-BN plus the (projected when the shape changes) shortcut, then ReLU. */
  private String basicBlock(GraphBuilder graph, String name, String input, long in, long out, int stride) {
    graph.addLayer(name + "_conv1", new OneDnnConvolution(in, out, 3, stride, 1), input);
    graph.addLayer(name + "_bn1", new ViewBatchNorm(out, views), name + "_conv1");
    String hidden = relu(graph, name + "_relu1", name + "_bn1");
    graph.addLayer(name + "_conv2", new OneDnnConvolution(out, out, 3, 1, 1), hidden);
    graph.addLayer(name + "_bn2", new ViewBatchNorm(out, views), name + "_conv2");
    String shortcut = input;
    if (stride != 1 || in != out) {
      graph.addLayer(name + "_downsample_0", new OneDnnConvolution(in, out, 1, stride, 0), input);
      graph.addLayer(name + "_downsample_1", new ViewBatchNorm(out, views), name + "_downsample_0");
      shortcut = name + "_downsample_1";
    }
    graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "_bn2", shortcut);
    return relu(graph, name + "_out", name + "_add");
  }

  private static String relu(GraphBuilder graph, String name, String input) {
    graph.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
    return name;
  }
}
