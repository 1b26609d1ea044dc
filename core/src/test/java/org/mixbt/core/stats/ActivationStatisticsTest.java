package org.mixbt.core.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.loss.StepLabels;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.NetworkSpec;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.model.ViewBatchNormParams;
import org.mixbt.core.train.MixingDraw;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The pass's statistics on a real (tiny) training network against straightforward computations. */
class ActivationStatisticsTest {
  private static final NetworkSpec SPEC = new NetworkSpec(2, 3, 8, 6, 5, true);

  private static ComputationGraph network(DataType type) {
    MixedBarlowTwinsLossFunction loss = new MixedBarlowTwinsLossFunction(0.0078125, 4.0, true, DegenerateBatchPolicy.FAIL);
    return MixedBarlowTwinsNetwork.training(SPEC, new OptimizerSpec(1e-3, 0, false, 0, 0, 7), loss, type);
  }

  private static MultiDataSet batch(int n, long seed, DataType type, boolean identicalViews) {
    Nd4j.getRandom().setSeed(seed);
    long[] shape = {n, 3, 8, 8};
    INDArray x1 = Nd4j.randn(type, shape).addi(0.5);
    INDArray x2 = identicalViews ? x1.dup() : Nd4j.randn(type, shape);
    INDArray xm = identicalViews ? x1.dup() : x1.mul(0.3).addi(x2.mul(0.7));
    MixingDraw draw = MixingDraw.draw(seed, 0, 0, n);
    INDArray labels = new StepLabels(draw.alpha(), draw.permutation(), 0).toArray().castTo(type);
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x1, x2, xm}, new INDArray[] {labels});
  }

  /**
   * Pooled over two batches and all three view groups, every BatchNorm layer's mean and unbiased variance
   * equal a plain double loop over the layer's input values (taken from each batch's forward pass).
   */
  @Test
  void batchNormStatisticsEqualStraightforwardComputation() {
    ComputationGraph net = network(DataType.FLOAT);
    List<MultiDataSet> batches = List.of(batch(6, 1, DataType.FLOAT, false), batch(6, 2, DataType.FLOAT, false));
    ActivationStatistics stats = ActivationStatistics.none();
    List<Map<String, INDArray>> acts = new ArrayList<>();
    for (MultiDataSet b : batches) {
      stats = stats.merge(ActivationStatistics.of(net, b, 64));
      acts.add(net.feedForward(b.getFeatures(), true, false));
    }
    assertEquals(2, stats.batches());
    Map<String, ChannelMoments> bn = stats.batchNormInputs();
    // conv1's BN, a residual branch's, the projector's: every ViewBatchNorm is covered.
    assertTrue(bn.containsKey("bn1") && bn.containsKey("projector_bn1") && bn.size() > 10, bn.keySet().toString());
    for (Map.Entry<String, ChannelMoments> e : bn.entrySet()) {
      String input = net.getConfiguration().getVertexInputs().get(e.getKey()).get(0);
      int channels = e.getValue().channels();
      for (int c = 0; c < channels; c++) {
        List<Double> values = new ArrayList<>();
        for (Map<String, INDArray> a : acts) {
          INDArray x = a.get(input);
          INDArray channel = x.rank() == 4 ? x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
              org.nd4j.linalg.indexing.NDArrayIndex.point(c)) : x.getColumn(c);
          for (double v : channel.dup().data().asDouble()) {
            values.add(v);
          }
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        String where = e.getKey() + " channel " + c;
        assertEquals(values.size(), e.getValue().count(), where);
        assertEquals(mean, e.getValue().mean()[c], 1e-9 * (1 + Math.abs(mean)), where);
        assertEquals(squares / (values.size() - 1), e.getValue().variance(true)[c], 1e-9 * squares / values.size(),
            where);
      }
    }
  }

  /**
   * With three identical view groups the per-group batch statistics equal the pooled ones, so inference on
   * the written statistics reproduces the training-mode output on that batch exactly, once the stored
   * unbiased variance is scaled back by (M − 1)/M to the biased one training normalises with. (Unscaled,
   * the factor M/(M − 1) alone moved this tiny network's L2-normalised output by ~1e-2.) Before writing,
   * the default running statistics give a different output.
   */
  @Test
  void writtenStatisticsMakeInferenceReproduceTrainingMode() {
    ComputationGraph net = network(DataType.DOUBLE);
    MultiDataSet b = batch(120, 4, DataType.DOUBLE, true);
    INDArray trainingMode = net.feedForward(b.getFeatures(), true, false).get("embedding_view1");
    double before = net.feedForward(b.getFeatures(), false, false).get("embedding_view1").sub(trainingMode)
        .amaxNumber().doubleValue();
    ActivationStatistics stats = ActivationStatistics.of(net, b, 64);
    double largestChange = PreciseBatchNorm.writeInto(net, stats.batchNormInputs());
    assertTrue(largestChange > 0, "no running variance changed");
    assertEquals(stats.batchNormInputs().get("bn1").mean()[0],
        net.getLayer("bn1").getParam(ViewBatchNormParams.RUNNING_MEAN).getDouble(0), 0);
    assertEquals(stats.batchNormInputs().get("projector_bn1").variance(true)[2],
        net.getLayer("projector_bn1").getParam(ViewBatchNormParams.RUNNING_VAR).getDouble(2), 0);
    for (Map.Entry<String, ChannelMoments> e : stats.batchNormInputs().entrySet()) {
      long m = e.getValue().count();
      net.getLayer(e.getKey()).getParam(ViewBatchNormParams.RUNNING_VAR).muli((m - 1.0) / m);
    }
    double after = net.feedForward(b.getFeatures(), false, false).get("embedding_view1").sub(trainingMode)
        .amaxNumber().doubleValue();
    assertTrue(before > 0.05, "default running statistics already fit: " + before);
    assertTrue(after < 1e-10, "inference after writing differs from training mode by " + after);
  }

  /** Pooling only some view groups takes exactly their rows of each BatchNorm input. */
  @Test
  void selectedViewGroupsOnly() {
    ComputationGraph net = network(DataType.DOUBLE);
    MultiDataSet b = batch(10, 3, DataType.DOUBLE, false);
    ChannelMoments m = ActivationStatistics.of(net, b, 64, List.of("mixed", "view1")).batchNormInputs()
        .get("projector_bn1");
    INDArray in = net.feedForward(b.getFeatures(), true, false).get("projector_fc1");
    INDArray rows = org.nd4j.linalg.factory.Nd4j.vstack(in.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10)),
        in.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(20, 30)));
    assertEquals(20, m.count());
    assertArrayEquals(rows.mean(0).toDoubleVector(), m.mean(), 1e-12);
    assertArrayEquals(rows.var(true, 0).toDoubleVector(), m.variance(true), 1e-12);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ActivationStatistics.of(net, b, 64, List.of("view3")));
    assertEquals("Cannot pool BatchNorm statistics: none of the views [view3] is an input of the network"
        + " [view1, view2, mixed]", e.getMessage());
  }

  /** The per-view embedding figures equal direct computations on the view's embedding rows. */
  @Test
  void embeddingHealthOfTheNetworkOutput() {
    ComputationGraph net = network(DataType.DOUBLE);
    MultiDataSet b = batch(40, 8, DataType.DOUBLE, false);
    EmbeddingHealth health = ActivationStatistics.of(net, b, 64).health(1e-4);
    Map<String, INDArray> act = net.feedForward(b.getFeatures(), true, false);
    assertEquals(List.of("view1", "view2", "mixed"), health.views().stream().map(ViewHealth::view).toList());
    for (ViewHealth v : health.views()) {
      INDArray z = act.get("embedding_" + v.view());
      INDArray std = z.std(true, 0);
      assertEquals(40, v.samples());
      assertEquals(5, v.dims());
      assertEquals(std.meanNumber().doubleValue(), v.meanStd(), 1e-12);
      assertEquals(std.minNumber().doubleValue(), v.minStd(), 1e-12);
      assertEquals(z.mean(0).amean().getDouble(), v.meanAbsMean(), 1e-12);
      assertTrue(v.effectiveRank() >= 1 && v.effectiveRank() <= 5, "rank " + v.effectiveRank());
      assertTrue(v.featureEffectiveRank() >= 1 && v.featureEffectiveRank() <= 16, "feature rank " + v.featureEffectiveRank());
    }
    // Pearson correlation of view1 and view2 embeddings, dimension by dimension.
    INDArray z1 = act.get("embedding_view1");
    INDArray z2 = act.get("embedding_view2");
    INDArray s1 = z1.subRowVector(z1.mean(0)).divRowVector(z1.std(false, 0));
    INDArray s2 = z2.subRowVector(z2.mean(0)).divRowVector(z2.std(false, 0));
    INDArray c = s1.transpose().mmul(s2).divi(40);
    double diag = 0;
    double off = 0;
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        double x = c.getDouble(i, j);
        diag += i == j ? x / 5 : 0;
        off += i == j ? 0 : x * x / 20;
      }
    }
    assertEquals(diag, health.crossDiagonalMean(), 1e-10);
    assertEquals(Math.sqrt(off), health.crossOffDiagonalRms(), 1e-10);
    // Without covariances (width above the limit) only the per-dimension figures remain.
    EmbeddingHealth narrow = ActivationStatistics.of(net, b, 4).health(1e-4);
    assertTrue(Double.isNaN(narrow.crossDiagonalMean()) && Double.isNaN(narrow.views().get(0).effectiveRank()));
    assertEquals(health.views().get(0).meanStd(), narrow.views().get(0).meanStd(), 0);
  }
}
