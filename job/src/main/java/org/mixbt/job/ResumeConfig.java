package org.mixbt.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The part of a resolved configuration that decides a run's result, which auto-resume compares between
 * the checkpoint and the rerun. Every key counts except those that only say where or how fast the run
 * goes, or what is reported about it ({@link #IGNORED}); a new setting counts until it is added there.
 */
final class ResumeConfig {
  /**
   * Keys (exact) and prefixes (ending in '.') that do not change the trained weights:
   * <ul>
   * <li>{@code run-id}: the folder being resumed already is the run; {@code checkpoint.*}: root, keep
   * and every-epochs say where and how often the state is saved;</li>
   * <li>{@code spark.master}, {@code spark.threads}: where it runs and how many threads each op uses;
   * {@code spark.workers}: as set (0 = Spark's default parallelism); the resolved worker count does change
   * the result and is compared separately, against the one {@code state.json} records;
   * {@code spark.aggregation-depth}: only the tree shape of the parameter sum (its order of float
   * additions); {@code spark.batch-storage-level}: where Spark caches the batches;</li>
   * <li>{@code data.verify-checksums}: a check, not an input; {@code data.loader-threads} and
   * {@code data.prefetch-batches}: how fast batches are built (the same batches for any count);
   * {@code knn.*}: the monitor runs the encoder in inference mode and changes nothing; {@code report.*}:
   * plots drawn from the metrics after the run; {@code spark.collect-training-stats}: timings;
   * {@code statistics.max-covariance-dim}, {@code low-std} and the {@code warn-*} thresholds: what the
   * embedding-health figures include and when they warn (the batch-norm statistics written into the model
   * do count).</li>
   * </ul>
   * Some of these keys come with other parts of mixbt; a key listed here that a build does not have is
   * simply never seen.
   * {@code training.epochs} is ignored too, so that a run can be extended (epochs 7, then 10), unless the
   * schedule is {@code cosine-warmup}, whose rate at every step depends on the total number of epochs.
   */
  static final List<String> IGNORED = List.of("mixbt.run-id", "mixbt.checkpoint.", "mixbt.spark.master",
      "mixbt.spark.workers",
      "mixbt.spark.threads", "mixbt.spark.aggregation-depth", "mixbt.spark.batch-storage-level",
      "mixbt.data.verify-checksums", "mixbt.data.loader-threads", "mixbt.data.prefetch-batches", "mixbt.knn.",
      "mixbt.report.", "mixbt.spark.collect-training-stats", "mixbt.statistics.max-covariance-dim",
      "mixbt.statistics.low-std", "mixbt.statistics.warn-low-std-fraction", "mixbt.statistics.warn-rank-fraction",
      "mixbt.statistics.warn-min-diagonal");
  static final String EPOCHS = "mixbt.training.epochs";

  private ResumeConfig() {
  }

  /** The result-relevant keys of a rendered configuration (HOCON with the {@code mixbt} root), sorted. */
  static Map<String, String> relevant(String rendered) {
    Config config = ConfigFactory.parseString(rendered).resolve();
    boolean epochsMatter = config.hasPath("mixbt.schedule.type")
        && config.getString("mixbt.schedule.type").equals("cosine-warmup");
    Map<String, String> keys = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      String key = e.getKey();
      if (ignored(key) || (key.equals(EPOCHS) && !epochsMatter)) {
        continue;
      }
      keys.put(key, e.getValue().render(ConfigRenderOptions.concise()));
    }
    return keys;
  }

  private static boolean ignored(String key) {
    for (String rule : IGNORED) {
      if (rule.endsWith(".") ? key.startsWith(rule) : key.equals(rule)) {
        return true;
      }
    }
    return false;
  }

  /** SHA-256 (hex) of the result-relevant keys and values, one "key=value" line each in key order. */
  static String sha256(String rendered) {
    StringBuilder text = new StringBuilder();
    relevant(rendered).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** "key (checkpoint A, now B)" for every relevant key whose value differs or exists on one side only. */
  static List<String> differences(Map<String, String> checkpoint, Map<String, String> now) {
    TreeSet<String> keys = new TreeSet<>(checkpoint.keySet());
    keys.addAll(now.keySet());
    List<String> out = new ArrayList<>();
    for (String key : keys) {
      String before = checkpoint.get(key);
      String after = now.get(key);
      if (before == null || !before.equals(after)) {
        out.add(key + " (checkpoint " + (before == null ? "absent" : before) + ", now "
            + (after == null ? "absent" : after) + ")");
      }
    }
    return out;
  }
}
