package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mixbt.core.augment.GreyscaleViewSettings;
import org.mixbt.core.augment.RgbRecipe;
import org.mixbt.core.loss.DegenerateBatchPolicy;
import org.mixbt.core.model.NetworkSpec;
import org.mixbt.core.model.ProjectorKind;
import org.mixbt.core.model.ResNetDepth;
import org.mixbt.core.model.Stem;
import org.mixbt.core.loss.LossVariant;
import org.mixbt.core.loss.MixedBarlowTwinsLoss;
import org.mixbt.core.model.OptimizerSpec;
import org.mixbt.core.model.ScheduleSpec;

/**
 * Loading, layering and validating a run's settings. Every failure must name the full key (and the
 * rejected value where there is one), because that is all a user sees before the run stops.
 */
class JobSettingsTest {
  /** The demo run file; surefire runs in the module folder, so the repository root is "..". */
  private static final File DEMO = new File("../conf/fashion-mnist-demo.conf");

  @Test
  void referenceDefaultsLoad() {
    JobSettings s = JobSettings.load(null, List.of());

    assertEquals(0, s.seed);
    assertEquals("local[2]", s.sparkMaster);
    assertEquals(0, s.workers);
    assertEquals(5, s.averagingFrequency);
    assertEquals(0, s.threads);
    assertEquals("work/fashion-mnist", s.shards);
    assertEquals("train", s.trainSplit);
    assertEquals(0, s.trainLimit);
    assertTrue(s.verifyChecksums);
    assertEquals(ResNetDepth.RESNET18, s.network.depth());
    assertEquals(Stem.CIFAR, s.network.stem());
    assertEquals(64, s.network.baseWidth());
    assertEquals(ProjectorKind.SMALL, s.network.projector());
    assertEquals(List.of(512), s.network.projectorHidden());
    assertEquals(1024, s.network.featureDim());
    assertEquals(3, s.network.inputChannels());
    assertEquals(32, s.network.imageSize());
    assertTrue(s.network.mixing());
    assertEquals(0.0078125, s.lambda);
    assertEquals(4.0, s.mixScale);
    assertEquals(DegenerateBatchPolicy.FAIL, s.onDegenerateBatch);
    assertEquals(new OptimizerSettings(OptimizerSpec.Algorithm.ADAM, 0.001, 1e-6, false, 0.0048, 0.9, 0.001,
        ScheduleSpec.Kind.CONSTANT, 10, 1, List.of(60, 80), 0.1), s.optimizer);
    assertEquals(LossVariant.SMALL_DATA, s.lossVariant);
    assertEquals(MixedBarlowTwinsLoss.Cm2Target.PAPER, s.cm2Target);
    assertEquals(0, s.mixWarmupEpochs);
    assertEquals(7, s.epochs);
    assertEquals(128, s.batchSize);
    assertEquals(new KnnSettings(true, 200, 0.5, "train", 0, "test", true, 0, 500), s.knn);
    assertEquals("checkpoints", s.checkpointRoot);
    assertEquals(2, s.checkpointKeep);
  }

  @Test
  void referenceAugmentationIsTheFashionMnistRecipe() {
    JobSettings s = JobSettings.load(null, List.of());

    GreyscaleViewSettings g = (GreyscaleViewSettings) s.augmentation;
    assertEquals(GreyscaleViewSettings.fashionMnist(), g);
    assertEquals(2, g.pad());
    assertEquals(32, g.outputSize());
    assertArrayEquals(new double[] {0.08, 1.0}, new double[] {g.scaleMin(), g.scaleMax()});
    assertEquals(0.5, g.flipProbability());
    assertEquals(0.8, g.jitterProbability());
    assertEquals(3, g.outputChannels());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"cifar, 32", "stl10, 64", "tiny-imagenet, 64", "imagenet, 224"})
  void pipelineSelectsTheOriginalsRecipeAndTheNetworkInput(String pipeline, int size) {
    JobSettings s = JobSettings.load(null, List.of("mixbt.augmentation.pipeline = " + pipeline));

    RgbRecipe expected = switch (pipeline) {
      case "cifar" -> RgbRecipe.cifar();
      case "stl10" -> RgbRecipe.stl10();
      case "tiny-imagenet" -> RgbRecipe.tinyImageNet();
      default -> RgbRecipe.imageNet();
    };
    assertEquals(expected, s.augmentation);
    assertEquals(size, s.network.imageSize());
    assertEquals(3, s.network.inputChannels());
  }

  @Test
  void recipeParametersCanBeOverridden() {
    JobSettings s = JobSettings.load(null, List.of("mixbt.augmentation.pipeline = imagenet",
        "mixbt.augmentation.imagenet.solarize-probability = [0.1, 0.3]", "mixbt.augmentation.imagenet.crop-size = 160",
        "mixbt.augmentation.imagenet.eval.crop = 160"));

    RgbRecipe r = (RgbRecipe) s.augmentation;
    assertEquals(0.1, r.view1().solarizeProbability());
    assertEquals(0.3, r.view2().solarizeProbability());
    assertEquals(160, s.network.imageSize());
  }

  /** Every section is checked, also the ones not selected. */
  @Test
  void mistakeInAnUnusedRecipeIsStillReported() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobSettings.load(null, List.of("mixbt.augmentation.tiny-imagenet.flip-probability = 2")));

    assertTrue(e.getMessage().startsWith("Cannot use mixbt.augmentation.tiny-imagenet.flip-probability = 2.0"),
        e.getMessage());
  }

  @Test
  void unknownKeyInARecipeIsRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobSettings.load(null, List.of("mixbt.augmentation.cifar.blur = 0.5")));

    assertTrue(e.getMessage().contains("unknown key(s): mixbt.augmentation.cifar.blur"), e.getMessage());
  }

  @Test
  void emptyRunIdBecomesDatasetAndTime() {
    JobSettings s = JobSettings.load(null, List.of());

    assertEquals("fashion-mnist", s.datasetName());
    assertTrue(s.runId.matches("fashion-mnist-\\d{8}-\\d{6}"), s.runId);
    // The configuration stored with the checkpoints names the generated id, not "".
    assertEquals(s.runId, ConfigFactory.parseString(s.render()).getString("mixbt.run-id"));
  }

  @Test
  void runIdCannotLeaveTheCheckpointRoot() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobSettings.load(null, List.of("mixbt.run-id = \"../../escape\"")));
    assertEquals("Cannot use mixbt.run-id = \"../../escape\": letters, digits, '.', '_' and '-' only, not starting"
        + " with '.', '_' or '-'", e.getMessage());
  }

  @Test
  void demoFileOverridesTheReference() {
    assertTrue(DEMO.isFile(), "demo file not found from " + new File(".").getAbsolutePath());
    JobSettings s = JobSettings.load(DEMO, List.of());

    assertTrue(s.runId.matches("fashion-mnist-\\d{8}-\\d{6}"), s.runId);   // the demo leaves run-id empty
    assertEquals(16, s.network.baseWidth());
    assertEquals(10000, s.trainLimit);
    assertEquals(3, s.epochs);
    // untouched keys keep their reference defaults
    assertEquals(128, s.batchSize);
    assertEquals(0.0078125, s.lambda);
    assertEquals(List.of(512), s.network.projectorHidden());
    // the demo's network is the CIFAR-stem ResNet-18 it always was
    assertEquals(new NetworkSpec(16, 3, 32, 512, 1024, true), s.network);
  }

  @Test
  void modelKeysSelectDepthStemAndProjector() {
    JobSettings s = JobSettings.load(null, List.of("mixbt.model.arch = resnet50", "mixbt.model.stem = imagenet",
        "mixbt.model.projector = imagenet", "mixbt.model.projector-hidden = [8192, 8192]",
        "mixbt.model.feature-dim = 8192"));

    assertEquals(new NetworkSpec(ResNetDepth.RESNET50, Stem.IMAGENET, 64, 3, 32, ProjectorKind.IMAGENET,
        List.of(8192, 8192), 8192, true), s.network);
    assertEquals(2048, s.network.featureSize());
    assertEquals(Stem.STL, JobSettings.load(null, List.of("mixbt.model.stem = stl")).network.stem());
  }

  @Test
  void overridesWinOverTheFileAndLaterOverridesWinOverEarlier() {
    JobSettings s = JobSettings.load(DEMO, List.of(
        "mixbt.model.base-width = 8",
        "mixbt.training.batch-size = 64",
        "mixbt.training.batch-size = 32",
        "mixbt.loss.on-degenerate-batch = skip",
        "mixbt.schedule.type = cosine-warmup", "mixbt.schedule.warmup-epochs = 1"));

    assertEquals(8, s.network.baseWidth());
    assertEquals(32, s.batchSize);
    assertEquals(DegenerateBatchPolicy.SKIP, s.onDegenerateBatch);
    assertEquals(ScheduleSpec.Kind.WARMUP_COSINE, s.optimizer.schedule());
    // the file's other values survive
    assertEquals(10000, s.trainLimit);
    assertTrue(s.runId.startsWith("fashion-mnist-"), s.runId);
  }

  @Test
  void unknownKeyIsRejectedWithItsFullName() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobSettings.load(null, List.of("mixbt.training.batchsize = 64")));

    assertTrue(e.getMessage().contains("unknown key(s): mixbt.training.batchsize"), e.getMessage());
  }

  @Test
  void keysOutsideMixbtAreRejectedNotDropped(@TempDir Path dir) throws IOException {
    ConfigException spark = assertThrows(ConfigException.class,
        () -> JobSettings.load(null, List.of("spark.executor.memory = 4g", "mixbt.training.epochs = 2")));
    assertEquals("Cannot load configuration: key(s) outside mixbt: spark.executor.memory (mixbt's settings are"
        + " mixbt.*, listed in reference.conf; Spark settings go to spark-submit, e.g. deploy/submit --conf)",
        spark.getMessage());
    Path file = write(dir, "mixbtt.training.epochs = 9");
    ConfigException typo = assertThrows(ConfigException.class, () -> JobSettings.load(file.toFile(), List.of()));
    assertTrue(typo.getMessage().startsWith("Cannot load configuration: key(s) outside mixbt: mixbtt.training.epochs"),
        typo.getMessage());
  }

  @Test
  void unknownKeyInTheRunFileIsRejected(@TempDir Path dir) throws IOException {
    Path file = write(dir, "mixbt { model { base-widht = 16 } }");

    ConfigException e = assertThrows(ConfigException.class, () -> JobSettings.load(file.toFile(), List.of()));

    assertTrue(e.getMessage().contains("mixbt.model.base-widht"), e.getMessage());
  }

  @Test
  void unknownSectionIsRejectedWithItsFullName() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobSettings.load(null, List.of("mixbt.foo.bar = 1")));

    assertTrue(e.getMessage().startsWith("Cannot load configuration: unknown key(s): "), e.getMessage());
    assertTrue(e.getMessage().contains("mixbt.foo.bar"), e.getMessage());
  }

  @Test
  void wrongTypeNamesTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobSettings.load(null, List.of("mixbt.training.batch-size = \"abc\"")));

    assertTrue(e.getMessage().startsWith("Cannot use mixbt.training.batch-size: "), e.getMessage());
    assertTrue(e.getMessage().contains("STRING rather than NUMBER"), e.getMessage());
  }

  @Test
  void wrongTypeInAListNamesTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobSettings.load(null, List.of("mixbt.augmentation.fashion-mnist.crop-scale = 0.5")));

    assertTrue(e.getMessage().contains("mixbt.augmentation.fashion-mnist.crop-scale"), e.getMessage());
  }

  @Test
  void valueInPlaceOfASectionNamesTheSection() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobSettings.load(null, List.of("mixbt.training = 5")));

    assertTrue(e.getMessage().startsWith("Cannot load configuration: "), e.getMessage());
    assertTrue(e.getMessage().contains("mixbt.training"), e.getMessage());
  }

  @Test
  void malformedOverrideIsAConfigError() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobSettings.load(null, List.of("mixbt.training.batch-size = {")));

    assertTrue(e.getMessage().startsWith("Cannot load configuration: "), e.getMessage());
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "mixbt.training.batch-size          | 1           | Cannot use mixbt.training.batch-size = 1: must be >= 2",
      "mixbt.loss.lambda                  | 0           | Cannot use mixbt.loss.lambda = 0.0: must be a finite number > 0",
      "mixbt.augmentation.fashion-mnist.crop-scale      | [0.5]       | Cannot use mixbt.augmentation.fashion-mnist.crop-scale = [0.5]: must be [min, max]",
      "mixbt.augmentation.fashion-mnist.crop-ratio      | [2.0, 1.0]  | Cannot use mixbt.augmentation.fashion-mnist.crop-ratio = [2.0, 1.0]: must be [min, max]",
      "mixbt.augmentation.fashion-mnist.flip-probability | 1.5        | Cannot use mixbt.augmentation.fashion-mnist.flip-probability = 1.5: must be a probability in [0, 1]",
      "mixbt.augmentation.pipeline        | \"svhn\"    | Cannot use mixbt.augmentation.pipeline = \"svhn\": must be one of fashion-mnist, cifar, stl10, tiny-imagenet, imagenet",
      "mixbt.augmentation.cifar.order     | \"random\"  | Cannot use mixbt.augmentation.cifar.order = \"random\": must be one of [crop-first, jitter-first]",
      "mixbt.augmentation.cifar.interpolation | \"lanczos\" | Cannot use mixbt.augmentation.cifar.interpolation = \"lanczos\": must be one of [bilinear, bicubic]",
      "mixbt.augmentation.imagenet.hue    | 0.6         | Cannot use mixbt.augmentation.imagenet.hue = 0.6: must be in [0, 0.5]",
      "mixbt.augmentation.imagenet.blur-probability | [1.0] | Cannot use mixbt.augmentation.imagenet.blur-probability = [1.0]: must be a list of 2 finite numbers",
      "mixbt.augmentation.imagenet.solarize-probability | [0, 1.2] | Cannot use mixbt.augmentation.imagenet.solarize-probability = [0.0, 1.2]: must be [view 1, view 2] probabilities in [0, 1]",
      "mixbt.augmentation.stl10.std       | [0.2, 0, 0.2] | Cannot use mixbt.augmentation.stl10.std = [0.2, 0.0, 0.2]: must be three numbers > 0",
      "mixbt.augmentation.stl10.eval.crop | 60          | Cannot use mixbt.augmentation.stl10: Cannot configure evaluation view: the centre crop 60 must equal the view size 64",
      "mixbt.loss.on-degenerate-batch     | \"maybe\"   | Cannot use mixbt.loss.on-degenerate-batch = \"maybe\": must be one of [fail, skip]",
      "mixbt.schedule.type                | \"linear\"  | Cannot use mixbt.schedule.type = \"linear\": must be one of constant, cosine-warmup, step",
      "mixbt.optimizer.type               | \"sgd\"     | Cannot use mixbt.optimizer.type = \"sgd\": must be one of adam, lars",
      "mixbt.optimizer.lars.momentum      | 1.0         | Cannot use mixbt.optimizer.lars.momentum = 1.0: must be in [0, 1)",
      "mixbt.optimizer.lars.eta           | 0           | Cannot use mixbt.optimizer.lars.eta = 0.0: must be a finite number > 0",
      "mixbt.schedule.milestones          | [80, 60]    | Cannot use mixbt.schedule.milestones = [80, 60]: must be ascending epochs >= 0",
      "mixbt.schedule.gamma               | 0           | Cannot use mixbt.schedule.gamma = 0.0: must be a finite number > 0",
      "mixbt.loss.variant                 | \"cifar\"   | Cannot use mixbt.loss.variant = \"cifar\": must be one of small-data, imagenet",
      "mixbt.loss.cm2-target              | \"z1\"      | Cannot use mixbt.loss.cm2-target = \"z1\": must be one of paper, imagenet-code",
      "mixbt.loss.mix-warmup-epochs       | -1          | Cannot use mixbt.loss.mix-warmup-epochs = -1: must be >= 0",
      "mixbt.optimizer.schedule           | \"step\"    | Cannot load configuration: unknown key(s): mixbt.optimizer.schedule",
      "mixbt.optimizer.weight-decay       | -1e-6       | Cannot use mixbt.optimizer.weight-decay = -1.0E-6: must be a finite number >= 0",
      "mixbt.checkpoint.keep              | 0           | Cannot use mixbt.checkpoint.keep = 0: must be >= 1",
      "mixbt.checkpoint.every-epochs      | 0           | Cannot use mixbt.checkpoint.every-epochs = 0: must be >= 1",
      "mixbt.spark.aggregation-depth      | 0           | Cannot use mixbt.spark.aggregation-depth = 0: must be >= 1",
      "mixbt.spark.batch-storage-level    | MEMORY      | Cannot use mixbt.spark.batch-storage-level = \"MEMORY\": not a Spark storage level (e.g. MEMORY_AND_DISK, MEMORY_AND_DISK_SER, DISK_ONLY, MEMORY_ONLY)",
      "mixbt.knn.k                        | 0           | Cannot use mixbt.knn.k = 0: must be >= 1",
      "mixbt.data.loader-threads          | 0           | Cannot use mixbt.data.loader-threads = 0: must be >= 1",
      "mixbt.data.prefetch-batches        | -1          | Cannot use mixbt.data.prefetch-batches = -1: must be >= 0",
      "mixbt.data.shards                  | \"\"        | Cannot use mixbt.data.shards = \"\": must not be empty",
      "mixbt.model.arch                   | resnet34    | Cannot use mixbt.model.arch = \"resnet34\": must be one of [resnet18, resnet50]",
      "mixbt.model.stem                   | tiny        | Cannot use mixbt.model.stem = \"tiny\": must be one of [cifar, stl, imagenet]",
      "mixbt.model.projector              | big         | Cannot use mixbt.model.projector = \"big\": must be one of [small, imagenet]",
      "mixbt.model.projector-hidden       | [512, 0]    | Cannot use mixbt.model.projector-hidden = [512, 0]: must be a non-empty list of integers > 0",
      "mixbt.model.projector-hidden       | []          | Cannot use mixbt.model.projector-hidden = []: must be a non-empty list of integers > 0",
  })
  void outOfRangeValueNamesKeyAndValue(String key, String value, String expected) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobSettings.load(null, List.of(key + " = " + value)));

    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
  }

  @Test
  void imagenetRecipeBecomesLarsWithScaledRatesAndTheWarmedUpLoss() {
    JobSettings s = JobSettings.load(null, List.of("mixbt.optimizer.type = lars",
        "mixbt.optimizer.learning-rate = 0.2", "mixbt.optimizer.scale-by-batch = true",
        "mixbt.schedule.type = cosine-warmup", "mixbt.schedule.first-epoch = 0", "mixbt.training.epochs = 300",
        "mixbt.loss.variant = imagenet", "mixbt.loss.mix-scale = 1.0", "mixbt.loss.mix-warmup-epochs = 10",
        "mixbt.loss.cm2-target = imagenet-code", "mixbt.loss.lambda = 0.0051"));
    // 4 workers x 256 = the original's global batch 1024
    AveragingPlan plan = new AveragingPlan(4, 256, 5, 2, "MEMORY_AND_DISK", 0, 2, false);
    OptimizerSpec spec = s.optimizer.spec(1251, s.epochs, plan, 0);
    assertEquals(OptimizerSpec.Algorithm.LARS, spec.algorithm());
    assertEquals(0.8, spec.learningRate(), 1e-15);
    assertEquals(0.0192, spec.biasLearningRate(), 1e-15);
    assertEquals(1e-6, spec.weightDecay());
    assertEquals(ScheduleSpec.warmupCosine(1251, 300, 10, 0), spec.schedule());
    assertEquals(0.8, spec.schedule().forPeak(spec.learningRate()).valueAt(12510, 0), 1e-15);
    var loss = s.lossFunction(1251);
    assertEquals(12510, loss.getMixWarmupSteps());
    assertEquals(0.5, loss.mixSchedule().at(12510));
    assertEquals(MixedBarlowTwinsLoss.Cm2Target.IMAGENET_CODE, loss.getCm2Target());
    assertEquals("Optimiser lars, schedule cosine-warmup: global batch 1024 (4 workers x 256) per averaging step;"
        + " learning rates 0.8 (weights), 0.0192 (biases, BN) = configured x 1024/256", s.optimizer.describe(plan));
  }

  @Test
  void demoKeepsItsConstantAdamRate() {
    JobSettings s = JobSettings.load(DEMO, List.of());
    OptimizerSpec spec = s.optimizer.spec(78, s.epochs, AveragingPlan.of(s, 2), 0);
    assertEquals(new OptimizerSpec(0.001, 1e-6, false, 0, 0, 0), spec);
    assertEquals(4.0, s.lossFunction(78).mixSchedule().at(0));
  }

  @Test
  void cosineWarmupLongerThanTheRunIsRejected() {
    ConfigException e = assertThrows(ConfigException.class, () -> JobSettings.load(null,
        List.of("mixbt.schedule.type = cosine-warmup", "mixbt.training.epochs = 10")));
    assertEquals("Cannot use mixbt.schedule.warmup-epochs = 10: must be less than mixbt.training.epochs = 10"
        + " for schedule cosine-warmup", e.getMessage());
  }

  @Test
  void missingFileNamesThePath(@TempDir Path dir) {
    File missing = dir.resolve("no-such-run.conf").toFile();

    ConfigException e = assertThrows(ConfigException.class, () -> JobSettings.load(missing, List.of()));

    assertEquals("Cannot load configuration: no such file: " + missing, e.getMessage());
  }

  @Test
  void malformedFileIsAConfigError(@TempDir Path dir) throws IOException {
    Path file = write(dir, "mixbt { training { batch-size = 64 }");

    ConfigException e = assertThrows(ConfigException.class, () -> JobSettings.load(file.toFile(), List.of()));

    assertTrue(e.getMessage().startsWith("Cannot load configuration: "), e.getMessage());
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
  }

  @Test
  void renderHoldsTheResolvedValues() {
    JobSettings s = JobSettings.load(DEMO, List.of("mixbt.training.batch-size = 48"));

    Config stored = ConfigFactory.parseString(s.render());

    assertEquals(48, stored.getInt("mixbt.training.batch-size"));
    assertEquals(16, stored.getInt("mixbt.model.base-width"));
    assertEquals(10000, stored.getLong("mixbt.data.train-limit"));
    assertEquals(0.0078125, stored.getDouble("mixbt.loss.lambda"));
    assertEquals(s.runId, stored.getString("mixbt.run-id"));
    assertEquals(List.of(0.08, 1.0), stored.getDoubleList("mixbt.augmentation.fashion-mnist.crop-scale"));
    assertEquals("fashion-mnist", stored.getString("mixbt.augmentation.pipeline"));
  }

  @Test
  void renderedConfigurationLoadsBackToTheSameSettings(@TempDir Path dir) throws IOException {
    JobSettings s = JobSettings.load(DEMO, List.of("mixbt.loss.mix-scale = 2.0", "mixbt.seed = 42"));
    Path stored = write(dir, s.render());

    JobSettings again = JobSettings.load(stored.toFile(), List.of());

    assertEquals(s.render(), again.render());
    assertEquals(2.0, again.mixScale);
    assertEquals(42, again.seed);
    assertEquals(s.network, again.network);
    assertEquals(s.augmentation, again.augmentation);
  }

  private static Path write(Path dir, String text) throws IOException {
    Path file = dir.resolve("run.conf");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }
}
