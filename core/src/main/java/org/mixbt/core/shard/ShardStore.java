package org.mixbt.core.shard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A shard root opened through the Hadoop FileSystem API (file://, hdfs://, …): its validated manifest,
 * the paths of a split's shards, and a check of each shard's sha256 against the manifest.
 */
public final class ShardStore {
  private final FileSystem fs;
  private final Path root;
  private final ShardManifest manifest;

  private ShardStore(FileSystem fs, Path root, ShardManifest manifest) {
    this.fs = fs;
    this.root = root;
    this.manifest = manifest;
  }

  /** Opens {@code root} (a URI or path) and reads and validates its manifest. */
  public static ShardStore open(String root, Configuration conf) throws IOException {
    Path path = new Path(root);
    FileSystem fs = withoutChecksumFiles(path.getFileSystem(conf));
    Path qualified = fs.makeQualified(path);
    return new ShardStore(fs, qualified, readManifest(fs, qualified));
  }

  /** Reads and validates {@code <root>/manifest.json}. */
  public static ShardManifest readManifest(FileSystem fs, Path root) throws IOException {
    Path file = new Path(root, ShardManifest.FILE_NAME);
    if (!fs.exists(file)) {
      throw new ShardFormatException("Cannot open shard root " + root + ": missing manifest: " + file);
    }
    String json;
    try (InputStream in = fs.open(file)) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      return ShardManifest.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new ShardFormatException("Cannot read manifest " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The raw file system under a checksummed one (Hadoop's local FS keeps hidden .crc side files and hides
   * them from listings): shards are checked by sha256 against the manifest, so reads report a damaged
   * shard as a {@link ShardFormatException} rather than a ChecksumException, and writes leave no side files.
   */
  public static FileSystem withoutChecksumFiles(FileSystem fs) {
    return fs instanceof ChecksumFileSystem ? ((ChecksumFileSystem) fs).getRawFileSystem() : fs;
  }

  public ShardManifest manifest() {
    return manifest;
  }

  public Path root() {
    return root;
  }

  public FileSystem fileSystem() {
    return fs;
  }

  /** Paths of the shards of {@code split}, in manifest order. */
  public List<Path> shardPaths(String split) {
    ShardManifest.Split s = manifest.splits().get(split);
    if (s == null) {
      throw new IllegalArgumentException("Cannot list shards of " + root + ": unknown split: " + split
          + " (known: " + manifest.splits().keySet() + ")");
    }
    List<Path> paths = new ArrayList<>();
    for (ShardManifest.Shard shard : s.shards()) {
      paths.add(new Path(new Path(root, split), shard.file()));
    }
    return paths;
  }

  /** Verifies every shard of every split. */
  public void verify() throws IOException {
    for (String split : manifest.splits().keySet()) {
      verify(split);
    }
  }

  /** Recomputes each shard's sha256; a missing shard or a mismatch is a ShardFormatException naming it. */
  public void verify(String split) throws IOException {
    List<ShardManifest.Shard> shards = manifest.splits().get(split).shards();
    List<Path> paths = shardPaths(split);
    for (int i = 0; i < paths.size(); i++) {
      Path path = paths.get(i);
      if (!fs.exists(path)) {
        throw new ShardFormatException("Cannot verify shard " + path + ": missing file: listed in manifest");
      }
      String actual = sha256(fs, path);
      String expected = shards.get(i).sha256();
      if (!actual.equals(expected)) {
        throw new ShardFormatException("Cannot verify shard " + path + ": sha256 mismatch: manifest "
            + expected + ", file " + actual);
      }
    }
  }

  /** Lower-case hex sha256 of a file's bytes, streamed. */
  public static String sha256(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return sha256(in);
    }
  }

  /** Lower-case hex sha256 of a stream's remaining bytes. */
  public static String sha256(InputStream in) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) >= 0; ) {
      digest.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
