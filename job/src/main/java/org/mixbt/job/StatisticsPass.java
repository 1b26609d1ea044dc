package org.mixbt.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.stats.ActivationStatistics;
import org.mixbt.core.stats.EmbeddingHealth;
import org.mixbt.core.stats.PreciseBatchNorm;
import org.mixbt.core.stats.ViewHealth;
import org.mixbt.core.train.ViewBatchAssembler;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statistics pass after an epoch: the averaged network is broadcast, every partition runs its share of
 * {@link StatisticsBatches} forward in training mode (batch statistics, as training and PyTorch's precise
 * BN do) and reduces them to one {@link ActivationStatistics}; Spark's treeAggregate merges the partials
 * exactly (counts, means, co-moments in double). The driver then writes every BatchNorm layer's population
 * mean and variance into the network (see {@link PreciseBatchNorm}), logs the embedding health and warns on
 * signs of collapse.
 */
final class StatisticsPass {
  private static final Logger LOG = LoggerFactory.getLogger(StatisticsPass.class);

  private StatisticsPass() {
  }

  /** What the pass found, for the epoch's metrics line. */
  record Result(int batches, long samples, int batchNormLayers, double largestVarianceChange,
      EmbeddingHealth health, List<String> warnings, double seconds) {

    /**
     * Flat fields of the epoch's metrics line, named so that a report picking fields by name parts finds
     * them ({@code std}; {@code diag}, {@code rank}, {@code corr}); non-finite values are written as null.
     */
    void writeTo(ObjectNode line) {
      line.put("stats_batches", batches);
      line.put("stats_images", samples);
      line.put("stats_seconds", seconds);
      line.put("bn_layers_written", batchNormLayers);
      put(line, "bn_largest_var_change", largestVarianceChange);
      put(line, "emb_cross_corr_diag_mean", health.crossDiagonalMean());
      put(line, "emb_cross_corr_offdiag_rms", health.crossOffDiagonalRms());
      for (ViewHealth v : health.views()) {
        String p = "emb_" + v.view() + "_";
        put(line, p + "mean_std", v.meanStd());
        put(line, p + "min_std", v.minStd());
        put(line, p + "mean_abs_mean", v.meanAbsMean());
        line.put(p + "dead_dims", v.lowStdDims());
        put(line, p + "eff_rank", v.effectiveRank());
        put(line, p + "feature_eff_rank", v.featureEffectiveRank());
      }
      warnings.forEach(line.putArray("stats_warnings")::add);
    }

    private static void put(ObjectNode o, String key, double value) {
      if (Double.isFinite(value)) {
        o.put(key, value);
      } else {
        o.putNull(key);
      }
    }
  }

  /**
   * Runs the pass after epoch {@code epoch} (0-based) when {@code mixbt.statistics} says it is due, updating
   * {@code network}'s BatchNorm running statistics in place; null when not due.
   */
  static Result afterEpoch(JavaSparkContext sc, JobSettings settings, JavaRDD<ShardRecord> records, int epoch,
      ComputationGraph network, ViewBatchAssembler assembler, int partitions) {
    StatisticsSettings s = settings.statistics;
    if (!s.due(epoch, settings.epochs)) {
      return null;
    }
    long start = System.nanoTime();
    JavaRDD<MultiDataSet> batches = StatisticsBatches.build(records, epoch, settings.batchSize, s.batches(),
        settings.seed, partitions, assembler);
    ActivationStatistics stats = compute(sc, network, batches, s.maxCovarianceDim(), s.batchNormViews());
    if (stats.batches() == 0) {
      LOG.warn("Epoch {}: no statistics batches (fewer than {} records)", epoch + 1, settings.batchSize);
      return null;
    }
    int written = 0;
    double change = Double.NaN;
    if (s.writeBatchNorm()) {
      change = PreciseBatchNorm.writeInto(network, stats.batchNormInputs());
      written = stats.batchNormInputs().size();
    }
    EmbeddingHealth health = stats.health(s.collapse().lowStd());
    List<String> warnings = health.warnings(s.collapse());
    Result r = new Result((int) stats.batches(), health.views().get(0).samples(), written, change, health,
        warnings, (System.nanoTime() - start) / 1e9);
    System.out.printf("epoch %d statistics: %d batches, %d images, %.0f s; BatchNorm running statistics %s; %s%n",
        epoch + 1, r.batches(), r.samples(), r.seconds(), written == 0 ? "kept"
            : String.format("of %d layers rewritten (largest variance change %.1f%%)", written, 100 * change),
        health.describe());
    warnings.forEach(w -> LOG.warn("Epoch {}: embedding collapse? {}", epoch + 1, w));
    return r;
  }

  /** The merged statistics of {@code network} over {@code batches}, computed where the batches are. */
  static ActivationStatistics compute(JavaSparkContext sc, ComputationGraph network, JavaRDD<MultiDataSet> batches,
      int maxCovarianceDim, List<String> batchNormViews) {
    Broadcast<String> conf = sc.broadcast(network.getConfiguration().toJson());
    Broadcast<float[]> params = sc.broadcast(network.params().toFloatVector());
    try {
      return batches
          .mapPartitions(part -> partition(conf.value(), params.value(), part, maxCovarianceDim, batchNormViews))
          .treeAggregate(ActivationStatistics.none(), ActivationStatistics::merge, ActivationStatistics::merge);
    } finally {
      conf.destroy();
      params.destroy();
    }
  }

  private static Iterator<ActivationStatistics> partition(String conf, float[] params, Iterator<MultiDataSet> part,
      int maxCovarianceDim, List<String> batchNormViews) {
    ActivationStatistics sum = ActivationStatistics.none();
    if (!part.hasNext()) {
      return List.of(sum).iterator();
    }
    ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(conf));
    graph.init(Nd4j.create(params, new long[] {1, params.length}, DataType.FLOAT), false);
    while (part.hasNext()) {
      sum = sum.merge(ActivationStatistics.of(graph, part.next(), maxCovarianceDim, batchNormViews));
    }
    return List.of(sum).iterator();
  }
}
