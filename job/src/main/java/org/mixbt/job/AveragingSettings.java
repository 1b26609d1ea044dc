package org.mixbt.job;

import java.io.Serializable;
import org.apache.spark.storage.StorageLevel;

/**
 * The parameter-averaging settings of {@code mixbt.spark} beyond workers and averaging frequency: the
 * depth of Spark's tree aggregation of the workers' parameters and the storage level of each epoch's
 * batch RDD. The batch size per worker is {@code mixbt.training.batch-size}.
 */
record AveragingSettings(int aggregationDepth, String batchStorageLevel) implements Serializable {

  static AveragingSettings read(ConfigReader spark) {
    int depth = spark.intAtLeast("aggregation-depth", 1);
    String level = spark.nonEmpty("batch-storage-level");
    try {
      StorageLevel.fromString(level);
    } catch (IllegalArgumentException e) {
      throw spark.bad("batch-storage-level", "\"" + level + "\"", "not a Spark storage level (e.g. MEMORY_AND_DISK,"
          + " MEMORY_AND_DISK_SER, DISK_ONLY, MEMORY_ONLY)");
    }
    return new AveragingSettings(depth, level);
  }
}
