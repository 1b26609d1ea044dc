package org.mixbt.core.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifest JSON and ShardStore on the local file system, with stand-in shard files (no Spark). */
class ShardStoreTest {
  @TempDir Path tmp;

  static String sha(byte[] bytes) throws IOException {
    return ShardStore.sha256(new ByteArrayInputStream(bytes));
  }

  static ShardManifest manifest(String trainSha0, String trainSha1) {
    Map<String, ShardManifest.Split> splits = new LinkedHashMap<>();
    splits.put("train", new ShardManifest.Split(5, List.of(
        new ShardManifest.Shard("shard-00000.parquet", 3, trainSha0),
        new ShardManifest.Shard("shard-00001.parquet", 2, trainSha1)),
        List.of(new ShardManifest.SourceFile("train-images-idx3-ubyte.gz", 10, trainSha0)), List.of()));
    return new ShardManifest(2, "dev", "mnist", List.of("0", "1"), List.of(), ShardManifest.STORAGE_RAW,
        new ShardManifest.ImageShape(5, 4, 1), new ShardManifest.ImageSizes(5, 5, 4, 4, 5, 4), 0, splits,
        new ShardManifest.Normalization("train", List.of(0.25), List.of(0.5), ShardManifest.STATS_DEFINITION), 7);
  }

  @Test
  void sha256OfKnownInput() throws IOException {
    // sha256 of "abc" (FIPS 180-2 test vector).
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        sha("abc".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void manifestJsonRoundTrips() {
    ShardManifest m = manifest("a".repeat(64), "b".repeat(64));
    String json = m.toJson();
    assertEquals(m, ShardManifest.fromJson(json));
    assertTrue(json.contains("\"formatVersion\" : 2"), json);
  }

  @Test
  void manifestRejectsUnknownKeysAndInconsistencies() {
    String json = manifest("a".repeat(64), "b".repeat(64)).toJson();
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> ShardManifest.fromJson(json.replace("\"dataset\"", "\"extra\" : 1, \"dataset\"")));
    assertTrue(unknown.getMessage().startsWith("malformed JSON: Unrecognized field \"extra\""), unknown.getMessage());
    IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
        () -> ShardManifest.fromJson(json.replace("\"formatVersion\" : 2", "\"formatVersion\" : 1")));
    assertEquals("unsupported formatVersion: 1", version.getMessage());
    IllegalArgumentException counts = assertThrows(IllegalArgumentException.class,
        () -> ShardManifest.fromJson(json.replace("\"records\" : 5", "\"records\" : 6")));
    assertEquals("shard records do not add up for split train: 5 in shards, 6 in split", counts.getMessage());
  }

  @Test
  void verifyFindsAFlippedByteAndAMissingShard() throws IOException {
    byte[] s0 = "first shard".getBytes(StandardCharsets.UTF_8);
    byte[] s1 = "second shard".getBytes(StandardCharsets.UTF_8);
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("train"));
    Files.write(root.resolve("train/shard-00000.parquet"), s0);
    Files.write(root.resolve("train/shard-00001.parquet"), s1);
    Files.writeString(root.resolve("manifest.json"), manifest(sha(s0), sha(s1)).toJson());

    ShardStore store = ShardStore.open(root.toUri().toString(), new Configuration());
    assertEquals(List.of("shard-00000.parquet", "shard-00001.parquet"),
        store.shardPaths("train").stream().map(p -> p.getName()).toList());
    store.verify();

    s1[3] ^= 0x01;
    Files.write(root.resolve("train/shard-00001.parquet"), s1);
    ShardFormatException e = assertThrows(ShardFormatException.class, store::verify);
    assertEquals("Cannot verify shard " + store.shardPaths("train").get(1) + ": sha256 mismatch: manifest "
        + store.manifest().splits().get("train").shards().get(1).sha256() + ", file " + sha(s1), e.getMessage());

    Files.delete(root.resolve("train/shard-00000.parquet"));
    ShardFormatException missing = assertThrows(ShardFormatException.class, store::verify);
    assertEquals("Cannot verify shard " + store.shardPaths("train").get(0) + ": missing file: listed in manifest",
        missing.getMessage());
    IllegalArgumentException split = assertThrows(IllegalArgumentException.class, () -> store.shardPaths("val"));
    assertTrue(split.getMessage().endsWith(": unknown split: val (known: [train])"), split.getMessage());
  }

  @Test
  void openRefusesARootWithoutManifestOrWithABadOne() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("empty-root"));
    ShardFormatException none = assertThrows(ShardFormatException.class,
        () -> ShardStore.open(root.toString(), new Configuration()));
    assertTrue(none.getMessage().startsWith("Cannot open shard root file:" + root + ": missing manifest: "),
        none.getMessage());
    Files.writeString(root.resolve("manifest.json"), "{ \"formatVersion\" : 1 }");
    ShardFormatException bad = assertThrows(ShardFormatException.class,
        () -> ShardStore.open(root.toString(), new Configuration()));
    assertTrue(bad.getMessage().startsWith("Cannot read manifest file:" + root + "/manifest.json: malformed JSON: "),
        bad.getMessage());
  }
}
