package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.LossVariant;
import org.mixbt.core.loss.MixedBarlowTwinsLoss;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.loss.StepLabels;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.NetworkSpec;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.model.ScheduleSpec;
import org.mixbt.core.optim.Lars;
import org.mixbt.core.train.GlobalStepListener;
import org.mixbt.core.train.MixingDraw;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LARS under DL4J Spark's parameter averaging: one round of two workers, each training one step, must
 * equal the average of the same two steps trained on single networks, for the parameters and for the
 * updater state (LARS's momentum buffers, which DL4J averages as plain arrays). The rate is a cosine
 * warm-up counted from step 0, so step 0 trains with rate 0 and step 1 does not: the round only matches
 * when each worker's updater sees its batch's global step (DL4J itself restarts a worker's iteration count
 * at 0 every round). The ImageNet loss variant with its mix warm-up runs along.
 */
class LarsParameterAveragingIT {
  static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = SparkSessions.start("LarsParameterAveragingIT", "local[2]", 0, 0);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void oneAveragingRoundEqualsTheAverageOfTwoSingleSteps() {
    NetworkSpec spec = new NetworkSpec(2, 3, 8, 6, 4, true);
    MixedBarlowTwinsLossFunction loss = new MixedBarlowTwinsLossFunction(0.0051, 1.0, true, DegenerateBatchPolicy.FAIL,
        LossVariant.IMAGENET, MixedBarlowTwinsLoss.Cm2Target.PAPER, 4);
    // 2 steps per epoch, 10 epochs, 1 warm-up epoch: rate(step 0) = 0, rate(step 1) = peak / 2
    OptimizerSpec lars = OptimizerSpec.lars(0.2, 0.0048, 1e-6, 0.9, 0.001,
        ScheduleSpec.warmupCosine(2, 10, 1, 0), 3);
    ComputationGraph start = MixedBarlowTwinsNetwork.training(spec, lars, loss);
    assertTrue(start.getLayer("conv1").conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b
        && b.getIUpdater() instanceof Lars, "conv1 should train with LARS");
    List<MultiDataSet> steps = new ArrayList<>();
    for (int step = 0; step < 2; step++) {
      steps.add(batch(spec, 8, step));
    }

    INDArray paramSum = null;
    INDArray stateSum = null;
    for (MultiDataSet step : steps) {
      ComputationGraph single = start.clone();
      single.setListeners(new GlobalStepListener());
      single.fit(step);
      paramSum = paramSum == null ? single.params().dup() : paramSum.addi(single.params());
      INDArray state = single.getUpdater().getStateViewArray();
      stateSum = stateSum == null ? state.dup() : stateSum.addi(state);
    }

    ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(2, 8)
        .batchSizePerWorker(8).averagingFrequency(1).saveUpdater(true)
        .rddTrainingApproach(RDDTrainingApproach.Export).build();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SparkComputationGraph sparkNet = new SparkComputationGraph(sc, start.clone(), master);
    sparkNet.setListeners(List.of(new GlobalStepListener()));
    sparkNet.fitMultiDataSet(sc.parallelize(steps, 2));

    ComputationGraph averaged = sparkNet.getNetwork();
    assertClose(paramSum.divi(2), averaged.params(), "parameters");
    INDArray state = averaged.getUpdater().getStateViewArray();
    assertTrue(state.amaxNumber().doubleValue() > 0, "momentum should be non-zero after a step");
    assertClose(stateSum.divi(2), state, "LARS momentum (updater state)");
    assertTrue(averaged.params().sub(start.params()).amaxNumber().doubleValue() > 0, "the round changed nothing");
  }

  private static void assertClose(INDArray expected, INDArray actual, String what) {
    assertEquals(expected.length(), actual.length(), what + " length");
    double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
    double err = expected.sub(actual.reshape(expected.shape())).amaxNumber().doubleValue();
    assertTrue(err <= 1e-5 * scale, what + ": max abs error " + err + " (scale " + scale + ")");
  }

  private static MultiDataSet batch(NetworkSpec spec, int n, long step) {
    Nd4j.getRandom().setSeed(100 + step);
    INDArray x1 = Nd4j.rand(DataType.FLOAT, n, 3, spec.imageSize(), spec.imageSize());
    INDArray x2 = Nd4j.rand(DataType.FLOAT, n, 3, spec.imageSize(), spec.imageSize());
    MixingDraw draw = MixingDraw.draw(1, 0, step, n);
    INDArray labels = new StepLabels(draw.alpha(), draw.permutation(), step).toArray();
    return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x1, x2, x1.add(x2).muli(0.5)},
        new INDArray[] {labels});
  }
}
