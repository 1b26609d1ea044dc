package org.mixbt.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;

/**
 * One averaging round as DL4J's parameter averaging gets it, built so that a round trains the same
 * batches in the same order from the same parameters however Spark places, loses and retries its tasks:
 * the precondition for a run on a cluster that survives a lost executor with the weights of an
 * undisturbed run.
 */
final class AveragingRound {
  private AveragingRound() {
  }

  /**
   * Batches {@code from} (inclusive) to {@code to} of an epoch keyed by batch index and hash-partitioned
   * one partition per worker ({@link EpochBatches}): a partition is one worker's share, in batch order.
   * The order inside a partition that comes out of Spark's shuffle follows the order in which map outputs
   * were fetched (local blocks first, then remote ones as they arrive), which differs between runs and after
   * a lost executor's partitions are recomputed, and a worker's minibatches are sequential SGD steps.
   */
  static JavaRDD<MultiDataSet> of(JavaPairRDD<Long, MultiDataSet> batches, long from, long to) {
    return batches.filter(b -> b._1() >= from && b._1() < to).mapPartitions(AveragingRound::inBatchOrder, true);
  }

  private static Iterator<MultiDataSet> inBatchOrder(Iterator<Tuple2<Long, MultiDataSet>> partition) {
    List<Tuple2<Long, MultiDataSet>> share = new ArrayList<>();
    partition.forEachRemaining(share::add);
    share.sort(Comparator.comparing(Tuple2::_1));
    return share.stream().map(Tuple2::_2).iterator();
  }

  /**
   * The training master's settings that keep rounds as {@link #of} builds them.
   * <ul>
   *   <li>Direct, not Export: the batches are persisted already; Export would write every batch to
   *   {@code hadoop.tmp.dir} and read it back each round, and DL4J refuses it outright on a cluster whose
   *   default file system is the local one ("Export training approach is not supported").
   *   <li>Never repartition: each partition already is one worker's share. DL4J's balanced repartitioning
   *   (for a short last round) reshuffles the batches through a shuffle with the fetch-order problem above.
   *   <li>No second cache of the round (Direct persists its input unless told not to).
   * </ul>
   */
  static ParameterAveragingTrainingMaster.Builder deterministic(ParameterAveragingTrainingMaster.Builder builder) {
    return builder.rddTrainingApproach(RDDTrainingApproach.Direct)
        .repartionData(Repartition.Never)
        .storageLevel(null);
  }
}
