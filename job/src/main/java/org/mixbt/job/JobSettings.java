package org.mixbt.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.io.Serializable;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.mixbt.core.augment.ViewRecipe;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.loss.LossVariant;
import org.mixbt.core.loss.MixedBarlowTwinsLoss;
import org.mixbt.core.loss.MixedBarlowTwinsLossFunction;
import org.mixbt.core.model.NetworkSpec;
import org.mixbt.core.model.ProjectorKind;
import org.mixbt.core.model.ResNetDepth;
import org.mixbt.core.model.Stem;

/**
 * Every setting of a pretraining run, read eagerly from HOCON on the driver so that any mistake (an
 * unknown key, a wrong type, a value out of range) stops the run before Spark starts, naming the key.
 * Defaults live once, commented, in {@code reference.conf}.
 */
public final class JobSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String ROOT = "mixbt";

  public final String runId;
  public final long seed;
  public final String sparkMaster;
  public final int workers;
  public final int averagingFrequency;
  /** Aggregation depth and batch storage level of parameter averaging (mixbt.spark). */
  final AveragingSettings averaging;
  public final int threads;
  public final boolean collectTrainingStats;
  public final String shards;
  public final String trainSplit;
  public final long trainLimit;
  public final boolean verifyChecksums;
  public final int loaderThreads;
  public final int prefetchBatches;
  /** The selected view recipe (mixbt.augmentation.pipeline); it fixes the network's input shape. */
  public final ViewRecipe augmentation;
  public final NetworkSpec network;
  /** PyTorch checkpoint to start from; "" = random initialisation. */
  public final String initFrom;
  public final boolean initEncoderOnly;
  public final double lambda;
  public final double mixScale;
  public final DegenerateBatchPolicy onDegenerateBatch;
  public final LossVariant lossVariant;
  public final MixedBarlowTwinsLoss.Cm2Target cm2Target;
  public final int mixWarmupEpochs;
  final OptimizerSettings optimizer;
  public final int epochs;
  public final int batchSize;
  public final KnnSettings knn;
  public final StatisticsSettings statistics;
  public final String checkpointRoot;
  public final int checkpointKeep;
  /** Checkpoint after every this many epochs, and always after the last. */
  public final int checkpointEveryEpochs;
  /** Write plots and report.html into the run folder at the end (mixbt.report.enabled). */
  public final boolean report;
  private final String rendered;

  private JobSettings(Config c) {
    ConfigReader r = new ConfigReader(c, ROOT);
    seed = r.anyLong("seed");
    ConfigReader spark = r.child("spark");
    sparkMaster = spark.nonEmpty("master");
    workers = spark.intAtLeast("workers", 0);
    averagingFrequency = spark.intAtLeast("averaging-frequency", 1);
    averaging = AveragingSettings.read(spark);
    threads = spark.intAtLeast("threads", 0);
    collectTrainingStats = spark.bool("collect-training-stats");
    ConfigReader data = r.child("data");
    shards = data.nonEmpty("shards");
    trainSplit = data.nonEmpty("train-split");
    trainLimit = data.longAtLeast("train-limit", 0);
    verifyChecksums = data.bool("verify-checksums");
    loaderThreads = data.intAtLeast("loader-threads", 1);
    prefetchBatches = data.intAtLeast("prefetch-batches", 0);
    augmentation = AugmentationConfig.read(r.child("augmentation"));
    ConfigReader model = r.child("model");
    ConfigReader loss = r.child("loss");
    network = new NetworkSpec(model.enumValue("arch", ResNetDepth.class), model.enumValue("stem", Stem.class),
        model.intAtLeast("base-width", 1), augmentation.outputChannels(), augmentation.outputSize(),
        model.enumValue("projector", ProjectorKind.class), model.positiveIntList("projector-hidden"),
        model.intAtLeast("feature-dim", 1), loss.bool("mixing"));
    initFrom = model.string("init-from");
    initEncoderOnly = model.bool("init-encoder-only");
    lambda = loss.positive("lambda");
    mixScale = loss.positive("mix-scale");
    onDegenerateBatch = loss.enumValue("on-degenerate-batch", DegenerateBatchPolicy.class);
    lossVariant = loss.choice("variant", "small-data", "imagenet").equals("imagenet")
        ? LossVariant.IMAGENET : LossVariant.SMALL_DATA;
    cm2Target = loss.choice("cm2-target", "paper", "imagenet-code").equals("paper")
        ? MixedBarlowTwinsLoss.Cm2Target.PAPER : MixedBarlowTwinsLoss.Cm2Target.IMAGENET_CODE;
    mixWarmupEpochs = loss.intAtLeast("mix-warmup-epochs", 0);
    ConfigReader training = r.child("training");
    epochs = training.intAtLeast("epochs", 1);
    optimizer = OptimizerSettings.read(r.child("optimizer"), r.child("schedule"), epochs);
    // N - 1 divides the unbiased std: a batch of one has no defined loss.
    batchSize = training.intAtLeast("batch-size", 2);
    knn = KnnSettings.read(r.child("knn"));
    statistics = StatisticsSettings.read(r.child("statistics"));
    checkpointRoot = r.child("checkpoint").nonEmpty("root");
    checkpointKeep = r.child("checkpoint").intAtLeast("keep", 1);
    checkpointEveryEpochs = r.child("checkpoint").intAtLeast("every-epochs", 1);
    report = r.child("report").bool("enabled");
    String id = r.string("run-id");
    if (!id.isEmpty() && !id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      // The run id names a folder under the checkpoint root: no separators, no way out of the root.
      throw new ConfigException("Cannot use mixbt.run-id = \"" + id + "\": letters, digits, '.', '_' and '-'"
          + " only, not starting with '.', '_' or '-'");
    }
    runId = id.isEmpty() ? defaultRunId() : id;
    // The stored configuration names the run id actually used, also when it was generated.
    rendered = c.withValue("run-id", com.typesafe.config.ConfigValueFactory.fromAnyRef(runId)).atPath(ROOT).root()
        .render(ConfigRenderOptions.defaults().setOriginComments(false));
  }

  /**
   * Resolves a run's settings: {@code overrides} ("key=value" HOCON lines, highest priority), then the run
   * file (may be null), then reference.conf.
   */
  public static JobSettings load(File runFile, List<String> overrides) {
    Config reference = ConfigFactory.defaultReference().getConfig(ROOT);
    if (runFile != null && !runFile.isFile()) {
      throw new ConfigException("Cannot load configuration: no such file: " + runFile);
    }
    try {
      // Parse errors (a malformed file or --set line) are reported like every other configuration error.
      Config user = ConfigFactory.empty();
      for (String line : overrides) {
        user = ConfigFactory.parseString(line).withFallback(user);
      }
      if (runFile != null) {
        user = user.withFallback(ConfigFactory.parseFile(runFile));
      }
      rejectForeignRoots(user);
      Config mine = user.hasPath(ROOT) ? user.getConfig(ROOT) : ConfigFactory.empty();
      rejectUnknownKeys(mine, reference);
      Config resolved = mine.withFallback(reference).resolve();
      // Validated under the root so that its messages name the full key (mixbt.training, not training).
      resolved.atPath(ROOT).checkValid(reference.atPath(ROOT));
      return new JobSettings(resolved);
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("Cannot load configuration: " + e.getMessage(), e);
    }
  }

  /**
   * Everything a run file or --set line says lives under {@code mixbt}: a Spark setting or a misspelt root
   * (mixbtt.training.epochs) would otherwise be dropped without a word.
   */
  private static void rejectForeignRoots(Config user) {
    TreeSet<String> foreign = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      if (!e.getKey().startsWith(ROOT + ".")) {
        foreign.add(e.getKey());
      }
    }
    if (!foreign.isEmpty()) {
      throw new ConfigException("Cannot load configuration: key(s) outside mixbt: " + String.join(", ", foreign)
          + " (mixbt's settings are mixbt.*, listed in reference.conf; Spark settings go to spark-submit, e.g."
          + " deploy/submit --conf)");
    }
  }

  private static void rejectUnknownKeys(Config user, Config reference) {
    TreeSet<String> unknown = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      if (!reference.hasPath(e.getKey())) {
        unknown.add(ROOT + "." + e.getKey());
      }
    }
    for (String top : user.root().keySet()) {
      if (!reference.hasPath(top)) {
        unknown.add(ROOT + "." + top);
      }
    }
    if (!unknown.isEmpty()) {
      throw new ConfigException("Cannot load configuration: unknown key(s): " + String.join(", ", unknown)
          + " (every key is listed, with its default, in reference.conf)");
    }
  }

  /**
   * The training loss; {@code stepsPerEpoch} turns the mix warm-up from epochs into global steps (the step
   * each batch's labels carry).
   */
  public MixedBarlowTwinsLossFunction lossFunction(long stepsPerEpoch) {
    return new MixedBarlowTwinsLossFunction(lambda, mixScale, network.mixing(), onDegenerateBatch, lossVariant,
        cm2Target, mixWarmupEpochs * stepsPerEpoch);
  }

  /** The resolved configuration as HOCON, stored beside every checkpoint. */
  public String render() {
    return rendered;
  }

  public String datasetName() {
    String s = shards.replaceAll("/+$", "");
    return s.substring(s.lastIndexOf('/') + 1);
  }

  private String defaultRunId() {
    return datasetName() + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
  }
}
