package org.mixbt.job;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.mixbt.core.augment.ViewRandom;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.train.ViewBatchAssembler;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;

/**
 * The batches of a statistics pass: {@code batches × N} training records drawn in a seeded order of their
 * ids (its own stream, separate from the epoch's shuffle), cut into batches of N as training cuts them
 * (batch statistics depend on N) and augmented with the epoch's training views. Only the drawn records
 * leave their partitions: the driver picks the ids from (key, id) pairs, so the selection and the batches
 * do not depend on the partitioning.
 */
final class StatisticsBatches {
  /** Domain tag ("stats-bn") separating this draw from the run seed's other streams. */
  private static final long DOMAIN = 0x73746174732d626eL;

  private StatisticsBatches() {
  }

  /** Orders (key, id) pairs by key, ties by id; serializable for Spark's takeOrdered. */
  private static final class ByKey implements Comparator<Tuple2<Long, Long>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Tuple2<Long, Long> a, Tuple2<Long, Long> b) {
      int c = Long.compare(a._1(), b._1());
      return c != 0 ? c : Long.compare(a._2(), b._2());
    }
  }

  /** At most {@code batches} batches (fewer when the split is small), spread over {@code partitions}. */
  static JavaRDD<MultiDataSet> build(JavaRDD<ShardRecord> records, int epoch, int batchSize,
      int batches, long seed, int partitions, ViewBatchAssembler assembler) {
    List<Tuple2<Long, Long>> drawn = records
        .map(r -> new Tuple2<>(ViewRandom.viewSeed(seed ^ DOMAIN, epoch, r.id(), 0), r.id()))
        .takeOrdered(batches * batchSize, new ByKey());
    int kept = drawn.size() / batchSize * batchSize;
    Map<Long, Integer> rank = new HashMap<>();
    for (int i = 0; i < kept; i++) {
      rank.put(drawn.get(i)._2(), i);
    }
    // Small (batches × N entries): shipped with the closure.
    JavaPairRDD<Long, Iterable<Tuple2<Integer, ShardRecord>>> grouped = records
        .filter(r -> rank.containsKey(r.id()))
        .mapToPair(r -> {
          int i = rank.get(r.id());
          return new Tuple2<>((long) (i / batchSize), new Tuple2<>(i, r));
        })
        .groupByKey(partitions);
    return grouped.map(batch -> {
      List<Tuple2<Integer, ShardRecord>> rows = new ArrayList<>();
      batch._2().forEach(rows::add);
      rows.sort(Comparator.comparing(Tuple2::_1));
      List<ShardRecord> ordered = new ArrayList<>(rows.size());
      rows.forEach(t -> ordered.add(t._2()));
      return assembler.assembleStored(epoch, batch._1(), ordered);
    });
  }
}
