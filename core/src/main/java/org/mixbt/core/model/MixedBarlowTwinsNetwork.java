package org.mixbt.core.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.StackVertex;
import org.deeplearning4j.nn.conf.graph.UnstackVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the training network and the matching feature extractor.
 *
 * <p>Training graph: one input per view ({@code view1}, {@code view2}, {@code mixed}), so that Spark's
 * re-batching can never separate the views of an example; a {@link StackVertex} stacks them into one
 * minibatch of views·N rows for the encoder and projector (every BatchNorm normalises per view group);
 * the L2-normalised embeddings are unstacked and placed side by side as [N, views·d] for
 * {@link MixedBarlowTwinsLossFunction}, whose labels carry the step's mixing weight and permutation.
 */
public final class MixedBarlowTwinsNetwork {
  public static final String[] VIEW_INPUTS = {"view1", "view2", "mixed"};
  public static final String IMAGE_INPUT = "image";
  public static final String EMBEDDING = Projector.EMBEDDING;
  public static final String LOSS = "loss";

  private MixedBarlowTwinsNetwork() {
  }

  public static ComputationGraphConfiguration trainingConfiguration(NetworkSpec net, OptimizerSpec opt,
      MixedBarlowTwinsLossFunction loss) {
    return trainingConfiguration(net, opt, loss, DataType.FLOAT);
  }

  /** As {@link #trainingConfiguration(NetworkSpec, OptimizerSpec, MixedBarlowTwinsLossFunction)}, in any
   * floating-point type (tests check gradients in double precision). */
  public static ComputationGraphConfiguration trainingConfiguration(NetworkSpec net, OptimizerSpec opt,
      MixedBarlowTwinsLossFunction loss, DataType dataType) {
    int views = net.views();
    String[] inputs = java.util.Arrays.copyOf(VIEW_INPUTS, views);
    GraphBuilder graph = base(opt, dataType).graphBuilder().addInputs(inputs);
    graph.addVertex("views", new StackVertex(), inputs);
    String feature = net.encoder(views).addTo(graph, "views");
    Projector.addTo(graph, net, views, feature, opt.seed());
    String[] perView = new String[views];
    for (int v = 0; v < views; v++) {
      perView[v] = EMBEDDING + "_" + inputs[v];
      graph.addVertex(perView[v], new UnstackVertex(v, views), EMBEDDING);
    }
    graph.addVertex("paired", new MergeVertex(), perView);
    graph.addLayer(LOSS, new LossLayer.Builder().lossFunction(loss).activation(Activation.IDENTITY).build(), "paired");
    InputType[] types = new InputType[views];
    java.util.Arrays.fill(types, InputType.convolutional(net.imageSize(), net.imageSize(), net.inputChannels()));
    ComputationGraphConfiguration conf = graph.setOutputs(LOSS).setInputTypes(types).build();
    OptimizerSpec.removeDuplicateRegularization(conf);
    return conf;
  }

  /** A fresh, initialised training network (PyTorch's Linear bias initialisation applied). */
  public static ComputationGraph training(NetworkSpec net, OptimizerSpec opt, MixedBarlowTwinsLossFunction loss) {
    return training(net, opt, loss, DataType.FLOAT);
  }

  public static ComputationGraph training(NetworkSpec net, OptimizerSpec opt, MixedBarlowTwinsLossFunction loss,
      DataType dataType) {
    ComputationGraph graph = new ComputationGraph(trainingConfiguration(net, opt, loss, dataType));
    graph.init();
    if (net.projector().outputBias()) {
      String out = Projector.output(net);
      INDArray bias = graph.getLayer(out).getParam("b");
      double bound = 1.0 / Math.sqrt(net.lastProjectorHidden());
      bias.assign(Nd4j.create(SeededUniformInit.uniform(SeededUniformInit.seedFor(opt.seed(), out + "_b"),
          bound, (int) bias.length()), bias.shape(), bias.dataType()));
    }
    return graph;
  }

  /**
   * The encoder alone, one image input, output = the pooled feature (what the kNN monitor and the linear
   * probe use). Its parameters come from a training network through {@link #copyEncoder}.
   */
  public static ComputationGraph featureExtractor(NetworkSpec net) {
    GraphBuilder graph = base(new OptimizerSpec(0, 0, false, 0, 0, 0), DataType.FLOAT).graphBuilder().addInputs(IMAGE_INPUT);
    String feature = net.encoder(1).addTo(graph, IMAGE_INPUT);
    graph.setOutputs(feature)
        .setInputTypes(InputType.convolutional(net.imageSize(), net.imageSize(), net.inputChannels()));
    ComputationGraph extractor = new ComputationGraph(graph.build());
    extractor.init();
    return extractor;
  }

  /** Parameters trained by gradient, as PyTorch counts them: BN running statistics excluded. */
  public static long trainableParameters(ComputationGraph graph) {
    long stats = 0;
    for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
      if (layer instanceof ViewBatchNormLayer) {
        stats += 2 * layer.getParam(ViewBatchNormParams.RUNNING_MEAN).length();
      }
    }
    return graph.numParams() - stats;
  }

  /** Copies every encoder layer's parameters (including BN running statistics) by layer name. */
  public static void copyEncoder(ComputationGraph from, ComputationGraph to) {
    for (org.deeplearning4j.nn.api.Layer layer : to.getLayers()) {
      String name = layer.conf().getLayer().getLayerName();
      // Per parameter: Layer.setParams re-orders a flat vector in 'f' order, which scrambles 4-D kernels.
      for (java.util.Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
        p.getValue().assign(from.getLayer(name).getParam(p.getKey()));
      }
    }
  }

  private static NeuralNetConfiguration.Builder base(OptimizerSpec opt, DataType dataType) {
    return opt.configure(new NeuralNetConfiguration.Builder())
        .seed(opt.seed())
        .dataType(dataType)
        // Workspaces reuse activation memory between steps instead of leaving it to the GC (ND4J frees
        // off-heap memory only when the GC collects the Java objects); our layers allocate through the
        // workspace manager for that reason.
        .trainingWorkspaceMode(WorkspaceMode.ENABLED)
        .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
  }
}
