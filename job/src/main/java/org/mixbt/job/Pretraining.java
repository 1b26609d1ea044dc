package org.mixbt.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.mixbt.core.augment.EvalView;
import org.mixbt.core.checkpoint.CheckpointStore;
import org.mixbt.core.checkpoint.TrainingState;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.eval.KnnResult;
import org.mixbt.core.loss.StepTerms;
import org.mixbt.core.model.MixedBarlowTwinsNetwork;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.model.ScheduleSpec;
import org.mixbt.core.shard.ShardStore;
import org.mixbt.core.train.GlobalStepListener;
import org.mixbt.core.train.ViewBatchAssembler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pretraining run on a Spark cluster (or local master): shards in, DL4J parameter averaging over the
 * workers, per-epoch metrics and checkpoints out, kNN of the untrained and the trained encoder.
 */
public final class Pretraining {
  private static final Logger LOG = LoggerFactory.getLogger(Pretraining.class);

  private final SparkSession spark;
  private final JavaSparkContext sc;
  private final JobSettings settings;
  private final Configuration hadoop;

  public Pretraining(SparkSession spark, JobSettings settings) {
    this.spark = spark;
    this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.settings = settings;
    this.hadoop = sc.hadoopConfiguration();
  }

  /**
   * What a run produced, for callers and tests.
   *
   * @param untrained kNN of the encoder before training (random, or the {@code initFrom} weights)
   * @param initFrom the checkpoint the run started from ({@code mixbt.model.init-from}); null for random weights
   *     or a resumed run
   * @param epochs the epochs this invocation trained (a resumed run: from its checkpoint on; a finished run
   *     rerun: none, and {@code network} is null)
   */
  public record Result(List<EpochSummary> epochs, KnnResult untrained, String initFrom, KnnResult trained,
      String checkpointDir, ComputationGraph network) {
  }

  /** Per-epoch numbers exposed to callers. */
  public record EpochSummary(int epoch, int stepCount, double lossBt, double lossMix, List<StepTerms> steps) {
  }

  public Result run() throws IOException {
    CheckpointStore checkpoints = CheckpointStore.open(settings.checkpointRoot, settings.runId,
        settings.checkpointKeep, hadoop);
    // Before anything else: a rerun of a checkpointed run resumes it, or stops at once when it is finished.
    RunStart runStart = RunStart.decide(settings, checkpoints);
    if (runStart.finished()) {
      System.out.println(runStart.finishedMessage());
      return new Result(List.of(), null, null, null, checkpoints.runDir().toString(), null);
    }
    // Before any Spark job: a checkpoint that does not fit the configured network stops the run here.
    InitialWeights initial = runStart.resuming() ? null : InitialWeights.load(settings, hadoop);
    ShardStore store = ShardStore.open(settings.shards, hadoop);
    RunPreconditions.check(settings, store.manifest());
    if (settings.verifyChecksums) {
      store.verify();
    }
    int numClasses = store.manifest().classNames().size();
    // Cached as stored: encoded images stay encoded in memory and are decoded per batch (ImageNet-sized splits
    // fit where their decoded pixels would not).
    JavaRDD<ShardRecord> records = ShardDataset.readStored(spark, store, settings.trainSplit, settings.trainLimit)
        .persist(StorageLevel.MEMORY_AND_DISK());
    long count = records.count();
    int workers = settings.workers > 0 ? settings.workers : sc.defaultParallelism();
    long stepsPerEpoch = EpochBatches.stepsPerEpoch(count, settings.batchSize);
    if (stepsPerEpoch == 0) {
      throw new ConfigException("Cannot train: split " + settings.trainSplit + " of " + settings.shards
          + " has " + count + " records (mixbt.data.train-limit = " + settings.trainLimit
          + "), fewer than one batch of mixbt.training.batch-size = " + settings.batchSize);
    }
    runStart.checkLayout(stepsPerEpoch, count, workers);
    AveragingPlan plan = AveragingPlan.of(settings, workers);
    LOG.info(plan.describe() + "; " + settings.optimizer.describe(plan));
    ComputationGraph network = runStart.resuming() ? runStart.loadNetwork(checkpoints) : newNetwork(stepsPerEpoch, plan);
    if (initial != null) {
      initial.applyTo(network);
    }
    LOG.info("Training {} records ({} steps of {} per epoch) on {} workers; network has {} trainable parameters",
        count, stepsPerEpoch, settings.batchSize, workers, MixedBarlowTwinsNetwork.trainableParameters(network));
    BackendStartup.verifyExecutors(sc, workers);

    KnnResult untrained = null;
    if (!runStart.resuming() && settings.knn.enabled() && settings.knn.untrainedBaseline()) {
      untrained = knn(store, network, numClasses);
      System.out.printf("%s: kNN top-1 %.2f%% top-5 %.2f%%%n",
          RunReport.baselineName(initial == null ? null : initial.source()), untrained.top1Percent(),
          untrained.top5Percent());
    }
    SparkComputationGraph sparkNet = new SparkComputationGraph(sc, network, plan.trainingMaster());
    ViewBatchAssembler assembler = ViewBatchAssembler.of(settings.augmentation, settings.network.mixing(),
        settings.seed).withThreads(settings.loaderThreads);
    List<String> metricsLines = new ArrayList<>(runStart.metricsLines());
    List<EpochSummary> summaries = new ArrayList<>();
    KnnResult trained = null;
    for (int epoch = runStart.firstEpoch(); epoch < settings.epochs; epoch++) {
      CollectionAccumulator<StepTerms> steps = sc.sc().collectionAccumulator("steps-epoch-" + epoch);
      sparkNet.setListeners(listeners(new StepProgressListener(steps, epoch, settings.epochs, stepsPerEpoch,
          workers, settings.batchSize)));
      long start = System.nanoTime();
      trainEpoch(sparkNet, EpochBatches.build(records, count, epoch, settings.batchSize, settings.seed, workers,
          assembler), stepsPerEpoch, plan);
      EpochMetrics metrics = new EpochMetrics(epoch + 1, steps.value(), EpochMetrics.Run.of(settings, stepsPerEpoch,
          workers), (System.nanoTime() - start) / 1e9);
      metrics.statistics = StatisticsPass.afterEpoch(sc, settings, records, epoch, sparkNet.getNetwork(), assembler, workers);
      if (knnDue(epoch)) {
        metrics.knn = knn(store, sparkNet.getNetwork(), numClasses);
        trained = metrics.knn;
      }
      metricsLines.add(metrics.toJson());
      summaries.add(new EpochSummary(epoch + 1, metrics.steps, metrics.lossBt, metrics.lossMix,
          List.copyOf(steps.value())));
      System.out.println(metrics.summary());
      if (checkpointDue(epoch)) {
        TrainingState state = new TrainingState(epoch + 1, (epoch + 1) * stepsPerEpoch, stepsPerEpoch, settings.epochs,
            workers, settings.seed, plan.rngSeed(), ResumeConfig.sha256(settings.render()), metrics.toJson());
        checkpoints.write(sparkNet.getNetwork(), state, settings.render(), metricsLines);
      }
    }
    records.unpersist();
    if (settings.report) {
      org.mixbt.job.report.ReportWriter.writeAfterRun(checkpoints.runDir(), hadoop);
    }
    return new Result(summaries, untrained, initial == null ? null : initial.source(), trained,
        checkpoints.runDir().toString(), sparkNet.getNetwork());
  }

  private ComputationGraph newNetwork(long stepsPerEpoch, AveragingPlan plan) {
    // Schedules and the mix warm-up count global steps (batch b of epoch e is step e * stepsPerEpoch + b,
    // whichever worker trains it; for scheduled rates GlobalStepListener hands that step to the updater),
    // so one epoch is stepsPerEpoch of them. An averaging round combines the updates of `workers` minibatches, hence the
    // global batch for the original's batch/256 rate scaling.
    OptimizerSpec optimizer = settings.optimizer.spec(stepsPerEpoch, settings.epochs, plan, settings.seed);
    return MixedBarlowTwinsNetwork.training(settings.network, optimizer, settings.lossFunction(stepsPerEpoch));
  }

  /**
   * The workers' listeners. The updater always gets the batch's global step ({@link GlobalStepListener}):
   * DL4J's own count restarts at 0 on every worker every averaging round (the configuration clone drops it),
   * which would replay a schedule's first steps and restart Adam's bias correction at t = 1 each round
   * (torch.optim.Adam counts every step of the run).
   */
  private List<org.deeplearning4j.optimize.api.TrainingListener> listeners(StepProgressListener progress) {
    return List.of(new GlobalStepListener(), progress);
  }

  /** Every mixbt.checkpoint.every-epochs epochs, and always after the last. */
  private boolean checkpointDue(int epoch) {
    return epoch == settings.epochs - 1 || (epoch + 1) % settings.checkpointEveryEpochs == 0;
  }

  private boolean knnDue(int epoch) {
    int every = settings.knn.everyEpochs();
    boolean last = epoch == settings.epochs - 1;
    return settings.knn.enabled() && (last || (every > 0 && (epoch + 1) % every == 0));
  }

  /**
   * Feeds the epoch to DL4J one averaging round at a time: exactly workers × averaging-frequency batches
   * per call. Handed a whole epoch, ParameterAveragingTrainingMaster splits it at random into rounds of
   * uneven size and each worker silently drops the batches beyond its averaging frequency (about one in
   * ten at 78 batches, 2 workers, frequency 5); this way every batch is trained exactly once.
   */
  private void trainEpoch(SparkComputationGraph sparkNet, JavaPairRDD<Long, MultiDataSet> batches,
      long stepsPerEpoch, AveragingPlan plan) {
    batches.persist(plan.storageLevel());
    long round = plan.batchesPerRound();
    try {
      for (long first = 0; first < stepsPerEpoch; first += round) {
        sparkNet.fitMultiDataSet(AveragingRound.of(batches, first, Math.min(stepsPerEpoch, first + round)));
      }
      if (settings.collectTrainingStats) {
        int rounds = (int) ((stepsPerEpoch + round - 1) / round);
        System.out.println(AveragingStats.of(sparkNet.getSparkTrainingStats(), rounds, settings.batchSize).summary());
      }
    } finally {
      batches.unpersist();
    }
  }

  private KnnResult knn(ShardStore store, ComputationGraph network, int numClasses) {
    EvalView transform = settings.augmentation.evalView();
    FeatureExtraction.Features bank = FeatureExtraction.extract(sc, network, settings.network, transform,
        ShardDataset.read(spark, store, settings.knn.bankSplit(), settings.knn.bankLimit()), settings.knn.batchSize());
    FeatureExtraction.Features queries = FeatureExtraction.extract(sc, network, settings.network, transform,
        ShardDataset.read(spark, store, settings.knn.querySplit(), 0), settings.knn.batchSize());
    return new org.mixbt.core.eval.WeightedKnn(settings.knn.k(), settings.knn.temperature(), numClasses)
        .evaluate(bank.features(), bank.labels(), queries.features(), queries.labels());
  }
}
