package org.mixbt.prep;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardStore;

/**
 * One shard root being written, shared by every writer: the checks before anything is written, the
 * temporary sibling {@code <output>._tmp-<uuid>} everything goes to, the Parquet shards of a split, and the
 * atomic commit (manifest, rename) or the abort (delete).
 *
 * <p>An existing output is refused unless {@code overwrite}, and then only if it is a shard root (has a
 * manifest); it is removed only after the new output is complete. Temporary siblings older than this run,
 * left by a prep that was killed, are removed at the start (logged). Two preps writing the same output at
 * the same time are not supported.
 */
final class ShardOutput {
  static final String TMP_INFIX = "._tmp-";

  private final SparkSession spark;
  private final FileSystem fs;
  private final Path out;
  private final Path tmp;
  private final boolean replacing;

  private ShardOutput(SparkSession spark, FileSystem fs, Path out, Path tmp, boolean replacing) {
    this.spark = spark;
    this.fs = fs;
    this.out = out;
    this.tmp = tmp;
    this.replacing = replacing;
  }

  /** Checks {@code output}, sweeps stale temporary siblings and names this run's temporary root. */
  static ShardOutput begin(SparkSession spark, String output, boolean overwrite, PrintStream log) throws IOException {
    long start = System.currentTimeMillis();
    Path path = new Path(output);
    FileSystem fs = ShardStore.withoutChecksumFiles(path.getFileSystem(spark.sparkContext().hadoopConfiguration()));
    Path out = fs.makeQualified(path);
    boolean replacing = fs.exists(out);
    if (replacing && !overwrite) {
      throw new IllegalStateException("Cannot write shards to " + out + ": output exists: pass --overwrite to replace it");
    }
    if (replacing && !fs.exists(new Path(out, ShardManifest.FILE_NAME))) {
      // --overwrite replaces an earlier prep output, never an arbitrary file or folder (e.g. the input's).
      throw new IllegalStateException("Cannot overwrite " + out + ": not a shard root (no "
          + ShardManifest.FILE_NAME + "); refusing to delete it");
    }
    sweepStale(fs, out, start - STALE_AFTER_MILLIS, log);
    Path tmp = new Path(out.getParent(), out.getName() + TMP_INFIX + UUID.randomUUID());
    // Created here, on the driver, before any input is read: an unwritable location is one clear error now
    // rather than a failed Spark task after the whole split was read.
    try {
      if (!fs.mkdirs(tmp)) {
        throw new IOException("mkdirs returned false");
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write shards to " + out + ": cannot create " + tmp + ": "
          + e.getMessage(), e);
    }
    return new ShardOutput(spark, fs, out, tmp, replacing);
  }

  /**
   * A temporary folder nothing was written into for this long is a killed prep's: another prep writing the
   * same output right now keeps touching its folder (the slowest phase between two writes, reading STL-10's
   * unlabelled split or staging one ImageNet class, takes minutes, not hours).
   */
  static final long STALE_AFTER_MILLIS = 6 * 3600_000L;

  /**
   * Deletes {@code <out>._tmp-*} siblings in which nothing (the folder or any file below it) was modified
   * after {@code staleBefore}: a killed prep's partial output, which nothing else would ever remove. A
   * concurrent prep's folder is left alone.
   */
  static void sweepStale(FileSystem fs, Path out, long staleBefore, PrintStream log) throws IOException {
    Path parent = out.getParent();
    if (parent == null || !fs.exists(parent)) {
      return;
    }
    String prefix = out.getName() + TMP_INFIX;
    for (FileStatus s : fs.listStatus(parent, p -> p.getName().startsWith(prefix))) {
      if (lastModified(fs, s) < staleBefore) {
        fs.delete(s.getPath(), true);
        log.println("Removed stale temporary output of an earlier, interrupted prep: " + s.getPath());
      }
    }
  }

  /** The latest modification time of a folder and everything below it. */
  private static long lastModified(FileSystem fs, FileStatus folder) throws IOException {
    long latest = folder.getModificationTime();
    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(folder.getPath(), true);
    while (files.hasNext()) {
      latest = Math.max(latest, files.next().getModificationTime());
    }
    return latest;
  }

  FileSystem fs() {
    return fs;
  }

  /** The temporary root; the final output's {@code <split>} folders are written below it. */
  Path tmp() {
    return tmp;
  }

  Path out() {
    return out;
  }

  /**
   * Writes {@code rows} (in the shard schema) as the shards of {@code split}: Spark partition i becomes
   * {@code shard-0000i.parquet}, rows in partition order. Returns the shards with counts and sha256.
   */
  List<ShardManifest.Shard> writeShards(Dataset<Row> rows, String split) throws IOException {
    Path dir = new Path(tmp, split);
    // Byte-identical reruns: parquet-mr lists a column chunk's encodings in HashSet order, and enum hash
    // codes differ from JVM to JVM, so two encodings per column (v1 pages: BIT_PACKED levels + PLAIN or
    // dictionary) come out in either order. V2 data pages without dictionary have one encoding per column.
    rows.write()
        .option("compression", "snappy")
        .option("parquet.writer.version", "PARQUET_2_0")
        .option("parquet.enable.dictionary", "false")
        .parquet(dir.toString());
    // Part files are named part-<partition>-<job uuid>…: name order is partition order.
    FileStatus[] parts = fs.listStatus(dir, p -> p.getName().startsWith("part-") && p.getName().endsWith(".parquet"));
    Arrays.sort(parts, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    deleteSideFiles(dir);
    List<ShardManifest.Shard> shards = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      String name = String.format("shard-%05d.parquet", i);
      Path target = new Path(dir, name);
      if (!fs.rename(parts[i].getPath(), target)) {
        throw new IOException("Cannot write shards to " + dir + ": rename failed: " + parts[i].getPath());
      }
      long count;
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(target, fs.getConf()))) {
        count = reader.getRecordCount();
      }
      shards.add(new ShardManifest.Shard(name, count, ShardStore.sha256(fs, target)));
    }
    return shards;
  }

  /**
   * Validates and writes the manifest into the temporary root, then renames it to the output; when
   * replacing, the old output is moved aside first and deleted last.
   */
  ShardManifest commit(ShardManifest manifest) throws IOException {
    manifest.validate();
    try (OutputStream o = fs.create(new Path(tmp, ShardManifest.FILE_NAME), false)) {
      o.write(manifest.toJson().getBytes(StandardCharsets.UTF_8));
    }
    deleteSideFiles(tmp);
    Path old = new Path(out.getParent(), out.getName() + "._old-" + UUID.randomUUID());
    if (replacing && !fs.rename(out, old)) {
      throw new IOException("Cannot replace " + out + ": rename to " + old + " failed");
    }
    if (!fs.rename(tmp, out)) {
      if (replacing) {
        fs.rename(old, out);
      }
      throw new IOException("Cannot commit shards to " + out + ": rename from " + tmp + " failed");
    }
    if (replacing) {
      fs.delete(old, true);
    }
    return manifest;
  }

  /** Deletes the temporary root after a failure; a cleanup failure is added to {@code failure}. */
  void abort(Throwable failure) {
    try {
      fs.delete(tmp, true);
    } catch (IOException cleanup) {
      failure.addSuppressed(cleanup);
    }
  }

  /**
   * Removes Spark's _SUCCESS marker and checksum side files (.&lt;name&gt;.crc, written by Hadoop's local FS;
   * listed here because {@code fs} is the raw file system, which does not hide them).
   */
  private void deleteSideFiles(Path dir) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (s.isFile() && (name.equals("_SUCCESS") || name.endsWith(".crc"))) {
        fs.delete(s.getPath(), false);
      }
    }
  }

  SparkSession spark() {
    return spark;
  }
}
