package org.mixbt.prep;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardSchema;
import org.mixbt.core.shard.ShardStore;

/** Shared helpers of the transfer-dataset source tests: archives, a writer, shard rows by source name. */
final class TransferFixtures {
  static final Configuration CONF = new Configuration();

  private TransferFixtures() {}

  static SparkSession spark(String app) {
    return SparkSession.builder().master("local[2]").appName(app).config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  static EncodedShardWriter writer(SparkSession spark) {
    return new EncodedShardWriter(spark, 2, 7, false, "test", 0,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  /** A gzip-compressed tar of {@code members} (tar.gz / tgz as the publishers ship). */
  static void tgz(Path file, Map<String, byte[]> members) throws IOException {
    byte[] tar = EncodedFixtures.tar(members);
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(tar);
    }
  }

  /** A copy of {@code members} with {@code name} replaced (or added) by {@code text}. */
  static Map<String, byte[]> with(Map<String, byte[]> members, String name, String text) {
    Map<String, byte[]> m = new LinkedHashMap<>(members);
    m.put(name, EncodedFixtures.text(text));
    return m;
  }

  /** A copy of {@code members} without {@code name}. */
  static Map<String, byte[]> without(Map<String, byte[]> members, String name) {
    Map<String, byte[]> m = new LinkedHashMap<>(members);
    m.remove(name);
    return m;
  }

  /** The split's rows keyed by source name, checked to carry ids 0..n-1. */
  static Map<String, Row> rowsBySource(SparkSession spark, ShardStore store, String split) {
    Map<String, Row> out = new HashMap<>();
    for (Row row : spark.read().parquet(PrepJobIT.paths(store, split)).collectAsList()) {
      if (out.put(row.getAs(ShardSchema.SOURCE), row) != null) {
        throw new AssertionError("duplicate source " + row.getAs(ShardSchema.SOURCE));
      }
    }
    return out;
  }

  /**
   * Checks that split {@code split} holds exactly {@code expected} (source name → label), each row's bytes
   * being the publisher file's ({@code members}, by the same name) and decoding to the same pixels.
   */
  static void assertSplit(SparkSession spark, ShardStore store, String split, Map<String, Integer> expected,
      Map<String, byte[]> members) {
    Map<String, Row> rows = rowsBySource(spark, store, split);
    org.junit.jupiter.api.Assertions.assertEquals(expected.keySet(), rows.keySet(), split + " membership");
    for (Map.Entry<String, Integer> e : expected.entrySet()) {
      Row row = rows.get(e.getKey());
      byte[] original = members.get(e.getKey());
      org.junit.jupiter.api.Assertions.assertEquals(e.getValue(), row.<Integer>getAs(ShardSchema.LABEL), e.getKey());
      org.junit.jupiter.api.Assertions.assertArrayEquals(original, row.getAs(ShardSchema.PIXELS), e.getKey());
      org.mixbt.core.data.image.DecodedImage a = org.mixbt.core.data.image.ImageDecoder.decode(original, e.getKey());
      org.mixbt.core.data.image.DecodedImage b = org.mixbt.core.data.image.ImageDecoder.decode(
          row.getAs(ShardSchema.PIXELS), e.getKey());
      org.junit.jupiter.api.Assertions.assertArrayEquals(a.pixels(), b.pixels(), e.getKey());
      org.junit.jupiter.api.Assertions.assertEquals(a.height(), row.<Integer>getAs(ShardSchema.HEIGHT));
      org.junit.jupiter.api.Assertions.assertEquals(a.width(), row.<Integer>getAs(ShardSchema.WIDTH));
    }
    java.util.List<Long> ids = rows.values().stream().map(r -> r.<Long>getAs(ShardSchema.ID)).sorted().toList();
    for (int i = 0; i < ids.size(); i++) {
      org.junit.jupiter.api.Assertions.assertEquals(i, ids.get(i), "ids 0..n-1");
    }
  }

  static ShardStore open(Path out) throws IOException {
    ShardStore store = ShardStore.open(out.toString(), CONF);
    store.verify();
    return store;
  }

  static long records(ShardManifest m, String split) {
    return m.splits().get(split).records();
  }
}
