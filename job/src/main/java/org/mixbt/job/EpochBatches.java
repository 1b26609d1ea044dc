package org.mixbt.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.mixbt.core.augment.ViewRandom;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.train.ViewBatchAssembler;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;

/**
 * One epoch of training batches, built on the executors: the records are put in a seeded random order
 * (the same for any number of executors), cut into consecutive batches of N with the incomplete last
 * batch dropped (the original's drop_last), and each batch becomes one MultiDataSet whose views are
 * decoded and augmented where it is built (rows travel encoded through the shuffle). Batch b of epoch e is
 * global step e·stepsPerEpoch + b.
 */
final class EpochBatches {
  /** Domain tag ("shuffle!") separating epoch orders from other streams of the run seed. */
  private static final long SHUFFLE_DOMAIN = 0x73687566666c6521L;

  private EpochBatches() {
  }

  static long stepsPerEpoch(long records, int batchSize) {
    return records / batchSize;
  }

  /** The epoch's batches keyed by their index within the epoch (0 .. stepsPerEpoch − 1). */
  static JavaPairRDD<Long, MultiDataSet> build(JavaRDD<ShardRecord> records, long recordCount, int epoch, int batchSize,
      long seed, int partitions, ViewBatchAssembler assembler) {
    long steps = stepsPerEpoch(recordCount, batchSize);
    long firstStep = epoch * steps;
    long kept = steps * batchSize;
    return records
        .mapToPair(r -> new Tuple2<>(ViewRandom.viewSeed(seed ^ SHUFFLE_DOMAIN, epoch, r.id(), 0), r))
        .sortByKey(true, partitions)
        .values()
        .zipWithIndex()
        .filter(t -> t._2() < kept)
        .mapToPair(t -> new Tuple2<>(t._2() / batchSize, t))
        .groupByKey(partitions)
        .mapToPair(batch -> {
          List<Tuple2<ShardRecord, Long>> rows = new ArrayList<>();
          batch._2().forEach(rows::add);
          rows.sort(Comparator.comparing(Tuple2::_2));
          List<ShardRecord> ordered = new ArrayList<>(rows.size());
          rows.forEach(t -> ordered.add(t._1()));
          return new Tuple2<>(batch._1(), assembler.assembleStored(epoch, firstStep + batch._1(), ordered));
        });
  }
}
