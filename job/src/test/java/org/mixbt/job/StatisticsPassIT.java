package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mixbt.core.data.ImageRecord;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.ViewBatchNormLayer;
import org.mixbt.core.model.ViewBatchNormParams;
import org.mixbt.core.stats.ActivationStatistics;
import org.mixbt.core.stats.ChannelMoments;
import org.mixbt.core.stats.EmbeddingHealth;
import org.mixbt.core.stats.ViewHealth;
import org.mixbt.core.train.ViewBatchAssembler;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Precise BN on a real local[2] Spark: statistics pooled by two executors over two partitions equal the
 * single-process statistics over the same batches, and the pass writes them into the network.
 *
 * <p>Tolerance: both sides run the same float forward passes on the same batches, so they merge the same
 * per-batch double partials, only in another order and grouping; Chan's merge then agrees to ~1e-15
 * relative. 1e-9 relative leaves room for that and nothing else (a wrong pooling, a lost or doubled batch
 * or view group moves the figures by far more than that). The running statistics written into the float
 * network are compared at float precision (2e-7 relative).
 */
class StatisticsPassIT {
  private static final int BATCH = 16;
  static SparkSession spark;
  static JavaSparkContext sc;

  @BeforeAll
  static void startSpark() {
    spark = SparkSessions.start("StatisticsPassIT", "local[2]", 0, 0);
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static JobSettings settings(String... more) {
    List<String> lines = new ArrayList<>(List.of("mixbt.seed = 3", "mixbt.model.base-width = 4",
        "mixbt.model.feature-dim = 32", "mixbt.model.projector-hidden = [24]", "mixbt.training.epochs = 2",
        "mixbt.training.batch-size = " + BATCH, "mixbt.statistics.batches = 4"));
    lines.addAll(List.of(more));
    return JobSettings.load(null, lines);
  }

  private static ComputationGraph network(JobSettings s) {
    return MixedBarlowTwinsNetwork.training(s.network, s.optimizer.spec(5, s.epochs, 2 * BATCH, s.seed),
        s.lossFunction(5));
  }

  /** 80 random 28x28 greyscale records in 3 partitions: 5 batches of 16, of which the pass draws 4. */
  private static JavaRDD<ShardRecord> records() {
    Random r = new Random(17);
    List<ShardRecord> list = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      byte[] pixels = new byte[28 * 28];
      r.nextBytes(pixels);
      list.add(ShardRecord.raw(new ImageRecord(1000 + 7L * i, i % 10, pixels, 28, 28, 1), "test"));
    }
    return sc.parallelize(list, 3);
  }

  private static ActivationStatistics singleProcess(ComputationGraph net, List<MultiDataSet> batches) {
    ActivationStatistics s = ActivationStatistics.none();
    for (MultiDataSet b : batches) {
      s = s.merge(ActivationStatistics.of(net, b, 2048));
    }
    return s;
  }

  @Test
  void pooledOverTwoExecutorsEqualsSingleProcess() {
    JobSettings s = settings();
    ComputationGraph net = network(s);
    ViewBatchAssembler assembler = ViewBatchAssembler.of(s.augmentation, true, s.seed);
    JavaRDD<MultiDataSet> batches = StatisticsBatches.build(records(), 0, BATCH, 4, s.seed, 2, assembler).cache();
    // Two partitions, both holding batches: both local[2] executor threads do part of the work.
    List<Integer> perPartition = batches.glom().map(List::size).collect();
    assertEquals(2, perPartition.size());
    assertEquals(4, perPartition.get(0) + perPartition.get(1));
    assertTrue(perPartition.get(0) > 0 && perPartition.get(1) > 0, perPartition.toString());

    ActivationStatistics pooled = StatisticsPass.compute(sc, net, batches, 2048, s.statistics.batchNormViews());
    ActivationStatistics single = singleProcess(net, batches.collect());
    batches.unpersist();
    assertEquals(4, pooled.batches());
    assertEquals(single.batchNormInputs().keySet(), pooled.batchNormInputs().keySet());
    double worst = 0;
    for (Map.Entry<String, ChannelMoments> e : single.batchNormInputs().entrySet()) {
      ChannelMoments p = pooled.batchNormInputs().get(e.getKey());
      assertEquals(e.getValue().count(), p.count(), e.getKey());
      worst = Math.max(worst, relative(e.getValue().mean(), p.mean(), e.getValue().variance(true)));
      worst = Math.max(worst, relative(e.getValue().variance(true), p.variance(true), e.getValue().variance(true)));
    }
    System.out.printf("BatchNorm statistics, 2 partitions vs single process: largest relative difference %.3g%n",
        worst);
    assertTrue(worst < 1e-9, "largest relative difference " + worst);
    EmbeddingHealth a = single.health(1e-4);
    EmbeddingHealth b = pooled.health(1e-4);
    assertEquals(a.crossDiagonalMean(), b.crossDiagonalMean(), 1e-9);
    assertEquals(a.crossOffDiagonalRms(), b.crossOffDiagonalRms(), 1e-9);
    for (int v = 0; v < 3; v++) {
      ViewHealth x = a.views().get(v);
      ViewHealth y = b.views().get(v);
      assertEquals(4 * BATCH, y.samples());
      assertEquals(x.meanStd(), y.meanStd(), 1e-9 * x.meanStd());
      assertEquals(x.minStd(), y.minStd(), 1e-9 * x.meanStd());
      assertEquals(x.effectiveRank(), y.effectiveRank(), 1e-6);
      assertEquals(x.featureEffectiveRank(), y.featureEffectiveRank(), 1e-6);
    }
  }

  /** |a − b| / (|a| + scale), per channel, the largest; scale = the channel's std keeps near-zero means fair. */
  private static double relative(double[] a, double[] b, double[] var) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(a[i]) + Math.sqrt(var[i]) + 1e-30));
    }
    return worst;
  }

  @Test
  void theDrawDoesNotDependOnThePartitioning() {
    JobSettings s = settings();
    ViewBatchAssembler assembler = ViewBatchAssembler.of(s.augmentation, true, s.seed);
    List<Double> one = sums(StatisticsBatches.build(records(), 1, BATCH, 4, s.seed, 1, assembler).collect());
    List<Double> three = sums(StatisticsBatches.build(records().repartition(5), 1, BATCH, 4, s.seed, 3, assembler)
        .collect());
    assertEquals(4, one.size());
    assertEquals(one, three);
    // Ten batches asked of a split holding five: all five, none incomplete.
    assertEquals(5, StatisticsBatches.build(records(), 1, BATCH, 10, s.seed, 2, assembler).count());
  }

  private static List<Double> sums(List<MultiDataSet> batches) {
    List<Double> out = new ArrayList<>();
    for (MultiDataSet b : batches) {
      assertEquals(BATCH, b.getFeatures(0).size(0));
      out.add(b.getFeatures(0).sumNumber().doubleValue() + 1e-3 * b.getFeatures(1).sumNumber().doubleValue());
    }
    out.sort(Double::compare);
    return out;
  }

  @Test
  void afterEpochWritesThePooledStatisticsIntoTheNetwork() throws Exception {
    JobSettings s = settings();
    ComputationGraph original = network(s);
    ComputationGraph net = original.clone();
    ViewBatchAssembler assembler = ViewBatchAssembler.of(s.augmentation, true, s.seed);
    JavaRDD<ShardRecord> records = records().cache();
    List<MultiDataSet> same = StatisticsBatches.build(records, 0, BATCH, 4, s.seed, 2, assembler).collect();
    INDArray probe = same.get(0).getFeatures(0);
    INDArray before = net.feedForward(new INDArray[] {probe, probe, probe}, false, false).get("embedding_view1");

    StatisticsPass.Result r = StatisticsPass.afterEpoch(sc, s, records, 0, net, assembler, 2);
    ActivationStatistics expected = singleProcess(original, same);
    long layers = 0;
    for (Layer layer : net.getLayers()) {
      if (!(layer instanceof ViewBatchNormLayer)) {
        continue;
      }
      layers++;
      String name = layer.conf().getLayer().getLayerName();
      ChannelMoments m = expected.batchNormInputs().get(name);
      float[] mean = layer.getParam(ViewBatchNormParams.RUNNING_MEAN).toFloatVector();
      float[] var = layer.getParam(ViewBatchNormParams.RUNNING_VAR).toFloatVector();
      for (int c = 0; c < mean.length; c++) {
        double std = Math.sqrt(m.variance(true)[c]);
        assertEquals(m.mean()[c], mean[c], 2e-7 * (Math.abs(m.mean()[c]) + std), name + " mean " + c);
        assertEquals(m.variance(true)[c], var[c], 2e-7 * m.variance(true)[c], name + " var " + c);
      }
      // Only the running statistics changed.
      assertArrayEquals(original.getLayer(name).getParam(ViewBatchNormParams.GAMMA).toFloatVector(),
          layer.getParam(ViewBatchNormParams.GAMMA).toFloatVector(), 0f);
    }
    assertEquals(net.getLayer("conv1").params().toFloatVector().length,
        original.getLayer("conv1").params().toFloatVector().length);
    assertArrayEquals(original.getLayer("conv1").params().toFloatVector(), net.getLayer("conv1").params().toFloatVector(), 0f);
    assertEquals(4, r.batches());
    assertEquals(4 * BATCH, r.samples());
    assertEquals(layers, r.batchNormLayers());
    assertTrue(r.largestVarianceChange() > 0);
    INDArray after = net.feedForward(new INDArray[] {probe, probe, probe}, false, false).get("embedding_view1");
    assertTrue(after.sub(before).amaxNumber().doubleValue() > 1e-3, "inference output did not change");

    // The epoch's metrics line carries the figures.
    EpochMetrics metrics = new EpochMetrics(1, List.of(), EpochMetrics.Run.of(s, 5, 2), 1.0);
    metrics.statistics = r;
    JsonNode json = new ObjectMapper().readTree(metrics.toJson());
    assertEquals(4, json.get("stats_batches").asInt());
    assertEquals(64, json.get("stats_images").asInt());
    assertEquals(r.health().views().get(2).meanStd(), json.get("emb_mixed_mean_std").asDouble(), 0);
    assertEquals(r.health().views().get(0).effectiveRank(), json.get("emb_view1_eff_rank").asDouble(), 0);
    assertEquals(r.health().crossDiagonalMean(), json.get("emb_cross_corr_diag_mean").asDouble(), 0);
    assertEquals(r.warnings().size(), json.get("stats_warnings").size());

    // Not due (disabled): nothing runs, nothing changes.
    ComputationGraph untouched = original.clone();
    assertNull(StatisticsPass.afterEpoch(sc, settings("mixbt.statistics.enabled = false"), records, 1, untouched,
        assembler, 2));
    assertArrayEquals(original.params().toFloatVector(), untouched.params().toFloatVector(), 0f);
    records.unpersist();
  }
}
