package org.mixbt.core.stats;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.Projector;
import org.mixbt.core.model.ViewBatchNormLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The mergeable statistics of one training-mode forward pass over some batches: per-channel moments of
 * every BatchNorm layer's input, and per view the moments of the embedding (projector output) and of the
 * encoder feature, plus the co-moment of the view1 and view2 embeddings.
 *
 * <p>Why one pass suffices for every layer: in training mode each BatchNorm normalises with the batch's
 * own (per-view-group) statistics, never with its running ones, so a layer's input does not depend on
 * any running statistic and the inputs of all layers, deep and shallow, are exactly what training feeds
 * them. Writing the new running statistics afterwards cannot invalidate the ones already collected.
 *
 * <p>Covariances (d×d doubles) are kept only for widths up to {@code maxCovarianceDim}, which bounds the
 * partials shipped between executors; wider features report per-dimension figures only.
 */
public final class ActivationStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long batches;
  private final Map<String, ChannelMoments> batchNormInputs;
  private final List<String> views;
  private final ChannelMoments[] embeddingDims;
  /** Per view; entries null when the width exceeds the covariance limit. */
  private final CrossMoments[] embeddingCovariance;
  private final CrossMoments[] featureCovariance;
  /** z1 against z2; null without covariances. */
  private final CrossMoments crossViews;

  private ActivationStatistics(long batches, Map<String, ChannelMoments> batchNormInputs, List<String> views,
      ChannelMoments[] embeddingDims, CrossMoments[] embeddingCovariance, CrossMoments[] featureCovariance,
      CrossMoments crossViews) {
    this.batches = batches;
    this.batchNormInputs = batchNormInputs;
    this.views = views;
    this.embeddingDims = embeddingDims;
    this.embeddingCovariance = embeddingCovariance;
    this.featureCovariance = featureCovariance;
    this.crossViews = crossViews;
  }

  /** No batches: the identity of {@link #merge} (the zero value of a Spark aggregation). */
  public static ActivationStatistics none() {
    return new ActivationStatistics(0, Collections.emptyMap(), List.of(), null, null, null, null);
  }

  /** Statistics of one training batch, BatchNorm inputs pooled over every view group. */
  public static ActivationStatistics of(ComputationGraph graph, MultiDataSet batch, int maxCovarianceDim) {
    return of(graph, batch, maxCovarianceDim, graph.getConfiguration().getNetworkInputs());
  }

  /**
   * Statistics of one training batch through {@code graph}, a {@link MixedBarlowTwinsNetwork} training graph;
   * BatchNorm inputs pooled over the view groups named in {@code batchNormViews} (views the network lacks
   * are skipped).
   */
  public static ActivationStatistics of(ComputationGraph graph, MultiDataSet batch, int maxCovarianceDim,
      List<String> batchNormViews) {
    List<String> views = graph.getConfiguration().getNetworkInputs();
    List<Integer> groups = batchNormViews.stream().map(views::indexOf).filter(g -> g >= 0).sorted().toList();
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("Cannot pool BatchNorm statistics: none of the views " + batchNormViews
          + " is an input of the network " + views);
    }
    // Training mode: BatchNorm on batch statistics, as in training; nothing is updated by a forward pass.
    Map<String, INDArray> act = graph.feedForward(batch.getFeatures(), true, false);
    Map<String, ChannelMoments> bn = batchNormMoments(graph, act, views.size(), groups);
    int n = (int) batch.getFeatures(0).size(0);
    INDArray feature = act.get(graph.getConfiguration().getVertexInputs().get(Projector.linear(1)).get(0));
    ChannelMoments[] dims = new ChannelMoments[views.size()];
    CrossMoments[] embeddingCov = new CrossMoments[views.size()];
    CrossMoments[] featureCov = new CrossMoments[views.size()];
    INDArray[] z = new INDArray[views.size()];
    for (int v = 0; v < views.size(); v++) {
      z[v] = act.get(MixedBarlowTwinsNetwork.EMBEDDING + "_" + views.get(v));
      dims[v] = ChannelMoments.of(z[v]);
      embeddingCov[v] = z[v].size(1) <= maxCovarianceDim ? CrossMoments.of(z[v], z[v]) : null;
      INDArray f = feature.get(NDArrayIndex.interval((long) v * n, (long) (v + 1) * n), NDArrayIndex.all());
      featureCov[v] = f.size(1) <= maxCovarianceDim ? CrossMoments.of(f, f) : null;
    }
    CrossMoments cross = embeddingCov[0] == null ? null : CrossMoments.of(z[0], z[1]);
    return new ActivationStatistics(1, bn, List.copyOf(views), dims, embeddingCov, featureCov, cross);
  }

  private static Map<String, ChannelMoments> batchNormMoments(ComputationGraph graph, Map<String, INDArray> act,
      int views, List<Integer> groups) {
    Map<String, ChannelMoments> bn = new LinkedHashMap<>();
    for (Layer layer : graph.getLayers()) {
      if (layer instanceof ViewBatchNormLayer) {
        String name = layer.conf().getLayer().getLayerName();
        bn.put(name, groupMoments(layerInput(graph, name, act), views, groups));
      }
    }
    return bn;
  }

  /** Moments of the selected view groups (consecutive equal row blocks, as ViewBatchNorm splits them). */
  private static ChannelMoments groupMoments(INDArray x, int views, List<Integer> groups) {
    if (groups.size() == views) {
      return ChannelMoments.of(x);
    }
    long rows = x.size(0) / views;
    ChannelMoments m = ChannelMoments.empty((int) x.size(1));
    for (int g : groups) {
      m = m.merge(ChannelMoments.of(x.get(NDArrayIndex.interval(g * rows, (g + 1) * rows))));
    }
    return m;
  }

  /** The BatchNorm layer's input: its input vertex's activation, through the layer's preprocessor if any. */
  private static INDArray layerInput(ComputationGraph graph, String name, Map<String, INDArray> act) {
    INDArray in = act.get(graph.getConfiguration().getVertexInputs().get(name).get(0));
    GraphVertex vertex = graph.getConfiguration().getVertices().get(name);
    InputPreProcessor pre = vertex instanceof LayerVertex ? ((LayerVertex) vertex).getPreProcessor() : null;
    return pre == null ? in : pre.preProcess(in, (int) in.size(0), LayerWorkspaceMgr.noWorkspaces());
  }

  /** Both sample sets pooled; neither operand changes. */
  public ActivationStatistics merge(ActivationStatistics other) {
    if (other.batches == 0) {
      return this;
    }
    if (batches == 0) {
      return other;
    }
    if (!views.equals(other.views) || !batchNormInputs.keySet().equals(other.batchNormInputs.keySet())) {
      throw new IllegalArgumentException("Cannot merge statistics of different networks: " + views + " "
          + batchNormInputs.keySet() + " and " + other.views + " " + other.batchNormInputs.keySet());
    }
    Map<String, ChannelMoments> bn = new LinkedHashMap<>();
    batchNormInputs.forEach((k, m) -> bn.put(k, m.merge(other.batchNormInputs.get(k))));
    int v = views.size();
    ChannelMoments[] dims = new ChannelMoments[v];
    CrossMoments[] embeddingCov = new CrossMoments[v];
    CrossMoments[] featureCov = new CrossMoments[v];
    for (int i = 0; i < v; i++) {
      dims[i] = embeddingDims[i].merge(other.embeddingDims[i]);
      embeddingCov[i] = merge(embeddingCovariance[i], other.embeddingCovariance[i]);
      featureCov[i] = merge(featureCovariance[i], other.featureCovariance[i]);
    }
    return new ActivationStatistics(batches + other.batches, bn, views, dims, embeddingCov, featureCov,
        merge(crossViews, other.crossViews));
  }

  private static CrossMoments merge(CrossMoments a, CrossMoments b) {
    return a == null ? null : a.merge(b);
  }

  public long batches() {
    return batches;
  }

  /** Per BatchNorm layer name, in the graph's layer order. */
  public Map<String, ChannelMoments> batchNormInputs() {
    return Collections.unmodifiableMap(batchNormInputs);
  }

  /** The embedding health figures; {@code lowStd} is the threshold for {@link ViewHealth#lowStdDims()}. */
  public EmbeddingHealth health(double lowStd) {
    if (batches == 0) {
      throw new IllegalStateException("Cannot summarise embedding statistics: no batches");
    }
    ViewHealth[] out = new ViewHealth[views.size()];
    for (int v = 0; v < out.length; v++) {
      out[v] = EmbeddingHealth.view(views.get(v), embeddingDims[v], embeddingCovariance[v], featureCovariance[v],
          lowStd);
    }
    return EmbeddingHealth.of(List.of(out), crossViews, embeddingCovariance[0], embeddingCovariance[1]);
  }
}
