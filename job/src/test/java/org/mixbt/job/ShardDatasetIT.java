package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.shard.ShardFormatException;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.shard.ShardSchema;
import org.mixbt.core.shard.ShardStore;
import org.mixbt.prep.PrepJob;

/**
 * The executor data path on real prepped Fashion-MNIST shards: the driver assigns shard i to partition i,
 * executors read their shard with Parquet directly, and what they read equals Spark's own Parquet reader.
 */
class ShardDatasetIT {
  static SparkSession spark;

  @TempDir
  static Path work;

  static Path shards;

  @BeforeAll
  static void startSpark() {
    spark = SparkSessions.start("ShardDatasetIT", "local[2]", 0, 0);
    shards = prep("fashion-mnist");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static Path prep(String name) {
    Path shards = work.resolve(name);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int exit = PrepJob.run(new String[] {"idx", "--input", "/usr/share/datasets/fashion-mnist", "--output",
        shards.toString(), "--dataset", "fashion-mnist", "--shards", "3"}, new PrintStream(log), new PrintStream(log));
    assertEquals(0, exit, log.toString());
    return shards;
  }

  @Test
  void eachShardIsOnePartitionAndReadsAsSparkReadsIt() throws Exception {
    ShardStore store = ShardStore.open(shards.toString(), new Configuration());
    List<List<ShardRecord>> partitions = ShardDataset.readStored(spark, store, "test", 0).glom().collect();
    assertEquals(3, partitions.size());
    long total = 0;
    for (int i = 0; i < 3; i++) {
      String shard = store.shardPaths("test").get(i).toString();
      Map<Long, Row> expected = new HashMap<>();
      spark.read().parquet(shard).collectAsList().forEach(r -> expected.put(r.getLong(r.fieldIndex(ShardSchema.ID)), r));
      List<ShardRecord> got = partitions.get(i);
      assertEquals(expected.size(), got.size(), "records of " + shard);
      for (ShardRecord r : got) {
        Row want = expected.get(r.id());
        assertEquals(want.getInt(want.fieldIndex(ShardSchema.LABEL)), r.label(), "label of id " + r.id());
        assertArrayEquals((byte[]) want.get(want.fieldIndex(ShardSchema.PIXELS)), r.bytes(), "pixels of id " + r.id());
        assertEquals(28, r.height());
        assertEquals("raw", r.encoding());
      }
      total += got.size();
    }
    assertEquals(10_000, total);
    // The id limit keeps "the first n images of the publisher's file", wherever they were shuffled to.
    List<ShardRecord> first = ShardDataset.readStored(spark, store, "test", 100).collect();
    assertEquals(100, first.size());
    assertTrue(first.stream().allMatch(r -> r.id() < 100));
    assertEquals(100, ShardDataset.read(spark, store, "test", 100).filter(r -> r.pixels().length == 784).count());
  }

  @Test
  void aDamagedShardIsAnErrorNamingTheFile() throws Exception {
    Path damaged = work.resolve("damaged");
    try (var files = Files.walk(shards)) {
      for (Path f : files.toList()) {
        Files.copy(f, damaged.resolve(shards.relativize(f).toString()));
      }
    }
    ShardStore store = ShardStore.open(damaged.toString(), new Configuration());
    Path shard = Path.of(store.shardPaths("test").get(1).toUri());
    byte[] bytes = Files.readAllBytes(shard);
    Files.write(shard, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Files.deleteIfExists(shard.resolveSibling("." + shard.getFileName() + ".crc"));
    Exception e = assertThrows(Exception.class, () -> ShardDataset.readStored(spark, store, "test", 0).count());
    ShardFormatException named = cause(e);
    assertTrue(named.getMessage().startsWith("Cannot read shard " + store.shardPaths("test").get(1)), named.getMessage());
  }

  private static ShardFormatException cause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ShardFormatException s) {
        return s;
      }
    }
    throw new AssertionError("no ShardFormatException in the cause chain", e);
  }
}
