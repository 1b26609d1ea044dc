package org.mixbt.job;

import org.mixbt.core.shard.ShardManifest;

/**
 * Settings that can only be checked against the shards' manifest, checked before any work starts so that
 * a run never fails after hours of training on something knowable at start-up.
 */
final class RunPreconditions {
  private RunPreconditions() {
  }

  static void check(JobSettings settings, ShardManifest manifest) {
    requireSplit(manifest, "mixbt.data.train-split", settings.trainSplit, settings);
    int channels = settings.augmentation.augmenter(0).inputChannels();
    if (manifest.shape() != null && manifest.shape().channels() != channels) {
      throw new ConfigException("Cannot use the view recipe of mixbt.augmentation.pipeline: it takes " + channels
          + "-channel images, the shards in " + settings.shards + " (" + manifest.dataset() + ") hold "
          + manifest.shape().channels() + "-channel images");
    }
    if (!settings.knn.enabled()) {
      return;
    }
    requireSplit(manifest, "mixbt.knn.bank-split", settings.knn.bankSplit(), settings);
    requireSplit(manifest, "mixbt.knn.query-split", settings.knn.querySplit(), settings);
    // Record ids are positions in the split, so a limit keeps exactly min(limit, records) of them.
    long records = manifest.splits().get(settings.knn.bankSplit()).records();
    long bank = settings.knn.bankLimit() > 0 ? Math.min(settings.knn.bankLimit(), records) : records;
    if (settings.knn.k() > bank) {
      throw new ConfigException("Cannot use mixbt.knn.k = " + settings.knn.k() + ": exceeds the memory bank of "
          + bank + " records (split " + settings.knn.bankSplit() + ", mixbt.knn.bank-limit = "
          + settings.knn.bankLimit() + ")");
    }
  }

  private static void requireSplit(ShardManifest manifest, String key, String split, JobSettings settings) {
    if (!manifest.splits().containsKey(split)) {
      throw new ConfigException("Cannot use " + key + " = \"" + split + "\": the shards in " + settings.shards
          + " have the splits " + manifest.splits().keySet());
    }
  }
}
