package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.data.idx.IdxFixtures;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardSchema;
import org.mixbt.core.shard.ShardStore;

/**
 * Prep and verify on a real HDFS: Hadoop's MiniDFSCluster (a NameNode and a DataNode in this JVM, on
 * loopback) with Spark writing through the hdfs:// scheme of the same hadoop-client jars it runs with.
 */
class PrepHdfsIT {
  static MiniDFSCluster cluster;
  static SparkSession spark;
  static String hdfs;
  @TempDir static Path tmp;
  static IdxFixtures.Images train = IdxFixtures.random(40, 6, 5, 10, 21);
  static IdxFixtures.Images test = IdxFixtures.random(15, 6, 5, 10, 22);
  static Path fixtureDir;

  @BeforeAll
  static void start() throws IOException {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    spark = SparkSession.builder().master("local[2]").appName("PrepHdfsIT")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
    fixtureDir = tmp.resolve("idx");
    IdxFixtures.writeSplit(fixtureDir, "train", train, true);
    IdxFixtures.writeSplit(fixtureDir, "t10k", test, false);
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void prepVerifyReadBackAndOverwriteOnHdfs() throws IOException {
    String out = hdfs + "/shards/mnist";
    PrepJobIT.Result r = prep(out, "--shards", "3");
    assertEquals(0, r.code(), r.err());
    assertEquals("train: 40 records in 3 shards\ntest: 15 records in 3 shards\n", r.out());

    PrepJobIT.Result verified = PrepJobIT.run("verify", "--input", out);
    assertEquals(0, verified.code(), verified.err());
    assertTrue(verified.out().endsWith("verified " + out + ": 2 splits, 55 records, all consistent with manifest.json\n"),
        verified.out());

    ShardStore store = ShardStore.open(out, new Configuration());
    assertEquals("hdfs", store.root().toUri().getScheme());
    store.verify();
    ShardManifest m = store.manifest();
    assertEquals(new ShardManifest.ImageShape(6, 5, 1), m.shape());
    assertEquals(List.of("train", "test"), List.copyOf(m.splits().keySet()));
    assertSameRecords(train, store, "train");
    assertSameRecords(test, store, "test");
    FileSystem fs = store.fileSystem();
    FileStatus[] top = fs.listStatus(new org.apache.hadoop.fs.Path(hdfs + "/shards"));
    assertEquals(1, top.length, "no temporary folder left beside the output");

    PrepJobIT.Result refused = prep(out, "--shards", "3");
    assertEquals(2, refused.code());
    assertEquals("Error: Cannot write shards to " + out + ": output exists: pass --overwrite to replace it\n",
        refused.err());
    String before = m.toJson();
    PrepJobIT.Result replaced = prep(out, "--shards", "2", "--overwrite");
    assertEquals(0, replaced.code(), replaced.err());
    ShardStore after = ShardStore.open(out, new Configuration());
    assertEquals(2, after.manifest().splits().get("train").shards().size());
    assertFalse(before.equals(after.manifest().toJson()));
    after.verify();
    assertEquals(1, fs.listStatus(new org.apache.hadoop.fs.Path(hdfs + "/shards")).length);
  }

  static PrepJobIT.Result prep(String output, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("idx", "--input", fixtureDir.toString(), "--output", output,
        "--dataset", "mnist", "--master", "local[2]"));
    args.addAll(List.of(more));
    return PrepJobIT.run(args.toArray(new String[0]));
  }

  static void assertSameRecords(IdxFixtures.Images expected, ShardStore store, String split) {
    String[] paths = store.shardPaths(split).stream().map(Object::toString).toArray(String[]::new);
    Map<Long, Row> byId = new java.util.HashMap<>();
    spark.read().parquet(paths).collectAsList().forEach(row -> byId.put(row.<Long>getAs(ShardSchema.ID), row));
    assertEquals(expected.count(), byId.size());
    for (int i = 0; i < expected.count(); i++) {
      Row row = byId.get((long) i);
      assertEquals(expected.labels()[i], row.<Integer>getAs(ShardSchema.LABEL));
      assertArrayEquals(expected.images()[i], row.<byte[]>getAs(ShardSchema.PIXELS), split + " image " + i);
    }
  }
}
