package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.loss.StepLabels;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.NetworkSpec;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.train.MixingDraw;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Spark's re-batching against the pairing of views: when DL4J's batch size differs from the steps' batch
 * size, it merges and splits MultiDataSets; the step labels then no longer form one intact step and the
 * loss refuses to train, instead of silently pairing views of different steps.
 */
class RebatchingIT {
  static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSessions.start("RebatchingIT", "local[2]", 0, 0);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void regroupedBatchesAreRefused() {
    NetworkSpec spec = new NetworkSpec(2, 3, 8, 6, 4, true);
    MixedBarlowTwinsLossFunction loss = new MixedBarlowTwinsLossFunction(0.0078125, 4.0, true, DegenerateBatchPolicy.FAIL);
    var network = MixedBarlowTwinsNetwork.training(spec, new OptimizerSpec(1e-3, 0, false, 0, 0, 1), loss);
    List<MultiDataSet> steps = new ArrayList<>();
    for (int step = 0; step < 4; step++) {
      steps.add(batch(spec, 8, step));
    }
    // DL4J is told 12 examples per worker batch while each step holds 8: it regroups them.
    ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(2, 8)
        .batchSizePerWorker(12).averagingFrequency(1).rddTrainingApproach(RDDTrainingApproach.Export).build();
    SparkComputationGraph sparkNet = new SparkComputationGraph(
        JavaSparkContext.fromSparkContext(spark.sparkContext()), network, master);
    Exception e = assertThrows(Exception.class,
        () -> sparkNet.fitMultiDataSet(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(steps, 1)));
    assertTrue(causes(e).contains("view pairing broken"), causes(e));
  }

  private static MultiDataSet batch(NetworkSpec spec, int n, long step) {
    INDArray x1 = Nd4j.rand(DataType.FLOAT, n, 3, spec.imageSize(), spec.imageSize());
    INDArray x2 = Nd4j.rand(DataType.FLOAT, n, 3, spec.imageSize(), spec.imageSize());
    MixingDraw draw = MixingDraw.draw(1, 0, step, n);
    INDArray labels = new StepLabels(draw.alpha(), draw.permutation(), step).toArray();
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x1, x2, x1.add(x2).muli(0.5)},
        new INDArray[] {labels});
  }

  private static String causes(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append(" | ");
    }
    return all.toString();
  }
}
