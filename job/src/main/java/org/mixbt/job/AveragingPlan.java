package org.mixbt.job;

import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * How a run's parameter averaging is laid out, computed once at start: workers, the batch each worker
 * trains per step, steps per worker between averagings, the aggregation depth, the batch RDD's storage
 * level and the seed of DL4J's training master. The global batch (the images one averaging step
 * combines) and hence the learning-rate scaling come from here only.
 */
record AveragingPlan(int workers, int batchSizePerWorker, int averagingFrequency, int aggregationDepth,
    String batchStorageLevel, long rngSeed, int prefetchBatches, boolean collectTrainingStats) {
  /** Domain tag ("paravg!!") separating DL4J's training-master seed from mixbt's own streams of the run seed. */
  private static final long TRAINING_MASTER_DOMAIN = 0x7061726176672121L;

  static AveragingPlan of(JobSettings settings, int workers) {
    return new AveragingPlan(workers, settings.batchSize, settings.averagingFrequency,
        settings.averaging.aggregationDepth(), settings.averaging.batchStorageLevel(),
        settings.seed ^ TRAINING_MASTER_DOMAIN, settings.prefetchBatches, settings.collectTrainingStats);
  }

  /** Images combined by one averaging step: one minibatch from each worker. */
  int globalBatch() {
    return workers * batchSizePerWorker;
  }

  /** Batches handed to DL4J per fit call: exactly one averaging round (see Pretraining.trainEpoch). */
  long batchesPerRound() {
    return (long) workers * averagingFrequency;
  }

  StorageLevel storageLevel() {
    return StorageLevel.fromString(batchStorageLevel);
  }

  /**
   * Parameter averaging with the updater state averaged too, each round trained as {@link AveragingRound}
   * lays it out (Direct, no repartitioning: repeatable on a cluster, retries included). rngSeed fixes the
   * only random choice of the master, its split of a fit call into rounds, which one round per call never
   * exercises; set anyway so that no draw depends on the clock.
   */
  ParameterAveragingTrainingMaster trainingMaster() {
    return AveragingRound.deterministic(new ParameterAveragingTrainingMaster.Builder(workers, batchSizePerWorker))
        .batchSizePerWorker(batchSizePerWorker)
        .averagingFrequency(averagingFrequency)
        .aggregationDepth(aggregationDepth)
        .workerPrefetchNumBatches(prefetchBatches)
        .saveUpdater(true)
        .rngSeed(rngSeed)
        .collectTrainingStats(collectTrainingStats)
        .build();
  }

  /** One line for the start of a run. */
  String describe() {
    return String.format("Parameter averaging: %d workers x batch %d = global batch %d per averaging step, averaged"
        + " every %d steps per worker (%d batches per round), aggregation depth %d, batches stored %s",
        workers, batchSizePerWorker, globalBatch(), averagingFrequency, batchesPerRound(), aggregationDepth,
        batchStorageLevel);
  }
}
