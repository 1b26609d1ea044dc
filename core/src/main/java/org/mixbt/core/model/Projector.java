package org.mixbt.core.model;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * The projector head g after the encoder: per hidden width h_i, {@code projector_fc<i>} (Linear, no bias)
 * → {@code projector_bn<i>} (per-view BatchNorm1d) → ReLU; then the output Linear {@code projector_fc<k+1>}
 * to d (with bias for the small-data head only) and the {@link #EMBEDDING} vertex: L2-normalised rows for
 * the small-data head ({@code F.normalize(dim=1, eps=1e-12)}), the raw output for the ImageNet head.
 */
public final class Projector {
  /** Name of the vertex holding the projector output the loss sees. */
  public static final String EMBEDDING = "embedding";

  private Projector() {
  }

  /** Name of the i-th (1-based) Linear layer. */
  public static String linear(int i) {
    return "projector_fc" + i;
  }

  /** Name of the i-th (1-based) BatchNorm layer. */
  public static String batchNorm(int i) {
    return "projector_bn" + i;
  }

  /** Name of the output Linear layer. */
  public static String output(NetworkSpec net) {
    return linear(net.projectorHidden().size() + 1);
  }

  /** Adds the head after {@code feature}; returns {@link #EMBEDDING}. */
  public static String addTo(GraphBuilder graph, NetworkSpec net, int views, String feature, long seed) {
    List<Integer> hidden = net.projectorHidden();
    long in = net.featureSize();
    String previous = feature;
    for (int i = 1; i <= hidden.size(); i++) {
      long width = hidden.get(i - 1);
      graph.addLayer(linear(i), dense(in, width, false, seed, linear(i)), previous);
      graph.addLayer(batchNorm(i), new ViewBatchNorm(width, views), linear(i));
      previous = "projector_relu" + i;
      graph.addLayer(previous, new ActivationLayer.Builder().activation(Activation.RELU).build(), batchNorm(i));
      in = width;
    }
    String out = output(net);
    graph.addLayer(out, dense(in, net.featureDim(), net.projector().outputBias(), seed, out), previous);
    graph.addVertex(EMBEDDING, net.projector().l2Normalised()
        ? new L2NormalizeVertex(new int[] {1}, 1e-12)
        : new ScaleVertex(1.0), out);   // identity: the loss reads the same vertex name either way
    return EMBEDDING;
  }

  private static DenseLayer dense(long in, long out, boolean bias, long seed, String name) {
    return new DenseLayer.Builder().nIn(in).nOut(out).hasBias(bias).activation(Activation.IDENTITY)
        .weightInit(torchLinearInit(in, seed, name)).build();
  }

  /** PyTorch's default Linear init, kaiming_uniform(a=√5): U(−1/√fan_in, 1/√fan_in). */
  static SeededUniformInit torchLinearInit(long fanIn, long seed, String layer) {
    return new SeededUniformInit(SeededUniformInit.seedFor(seed, layer), 1.0 / Math.sqrt(fanIn));
  }
}
