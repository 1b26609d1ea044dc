package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which settings auto-resume compares, and how it names the ones that differ. */
class ResumeConfigTest {
  private static String rendered(String... overrides) {
    return JobSettings.load(null, List.of(overrides)).render();
  }

  @Test
  void settingsThatDoNotChangeTheWeightsAreIgnored() {
    String base = rendered("mixbt.run-id = a");
    String elsewhere = rendered("mixbt.run-id = b", "mixbt.spark.master = \"spark://h:7077\"", "mixbt.spark.threads = 3",
        "mixbt.spark.aggregation-depth = 4", "mixbt.spark.batch-storage-level = DISK_ONLY",
        "mixbt.checkpoint.root = \"hdfs://nn/ckpt\"", "mixbt.checkpoint.keep = 9", "mixbt.checkpoint.every-epochs = 2",
        "mixbt.data.verify-checksums = false", "mixbt.knn.k = 20", "mixbt.knn.enabled = false",
        "mixbt.training.epochs = 30", "mixbt.data.loader-threads = 3", "mixbt.data.prefetch-batches = 0",
        "mixbt.report.enabled = false", "mixbt.spark.workers = 2");

    assertEquals(List.of(), ResumeConfig.differences(ResumeConfig.relevant(base), ResumeConfig.relevant(elsewhere)));
    assertEquals(ResumeConfig.sha256(base), ResumeConfig.sha256(elsewhere));
    Map<String, String> keys = ResumeConfig.relevant(base);
    assertFalse(keys.containsKey("mixbt.knn.k"));
    assertFalse(keys.containsKey("mixbt.training.epochs"));
    assertTrue(keys.containsKey("mixbt.seed"));
    // As set it is ignored (0 = Spark's default parallelism, 2 on local[2]): the resolved count is compared
    // against state.json's instead (RunStart.checkLayout, ResumeIT).
    assertFalse(keys.containsKey("mixbt.spark.workers"));
    assertTrue(keys.containsKey("mixbt.data.shards"));
  }

  @Test
  void everyResultRelevantDifferenceIsNamedWithBothValues() {
    String base = rendered();
    String changed = rendered("mixbt.seed = 5", "mixbt.training.batch-size = 64", "mixbt.model.projector-hidden = [64]",
        "mixbt.augmentation.cifar.hue = 0.2");

    assertEquals(List.of("mixbt.augmentation.cifar.hue (checkpoint 0.1, now 0.2)",
        "mixbt.model.projector-hidden (checkpoint [512], now [64])", "mixbt.seed (checkpoint 0, now 5)",
        "mixbt.training.batch-size (checkpoint 128, now 64)"),
        ResumeConfig.differences(ResumeConfig.relevant(base), ResumeConfig.relevant(changed)));
    assertNotEquals(ResumeConfig.sha256(base), ResumeConfig.sha256(changed));
  }

  @Test
  void epochsCountOnlyWhenTheScheduleDependsOnThem() {
    String cosine = rendered("mixbt.schedule.type = cosine-warmup", "mixbt.training.epochs = 20");
    String longer = rendered("mixbt.schedule.type = cosine-warmup", "mixbt.training.epochs = 30");
    String stepped = rendered("mixbt.schedule.type = step", "mixbt.training.epochs = 20");

    assertEquals(List.of("mixbt.training.epochs (checkpoint 20, now 30)"),
        ResumeConfig.differences(ResumeConfig.relevant(cosine), ResumeConfig.relevant(longer)));
    assertFalse(ResumeConfig.relevant(stepped).containsKey("mixbt.training.epochs"));
  }

  @Test
  void aKeyOnOneSideOnlyIsADifference() {
    Map<String, String> stored = Map.of("mixbt.seed", "0", "mixbt.old", "1");
    Map<String, String> now = Map.of("mixbt.seed", "0", "mixbt.new", "2");

    assertEquals(List.of("mixbt.new (checkpoint absent, now 2)", "mixbt.old (checkpoint 1, now absent)"),
        ResumeConfig.differences(stored, now));
  }
}
