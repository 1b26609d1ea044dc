package org.mixbt.prep;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;

/**
 * Streams a publisher's archive (tar, gzip-compressed tar, or zip: recognised from its first bytes) once,
 * copying the members it is asked to keep below a target folder under their archive paths; the archive's
 * sha256 is computed on the way (every byte, padding included). Nothing is held in memory.
 */
final class ArchiveStager {
  private ArchiveStager() {}

  /** Stages the members of {@code archive} whose path {@code keep} accepts below {@code target}. */
  static ShardManifest.SourceFile stage(Path archive, Configuration conf, Predicate<String> keep, FileSystem staged,
      Path target) throws IOException {
    FileSystem fs = archive.getFileSystem(conf);
    MessageDigest sha = ArchiveEntries.sha256();
    try (DigestInputStream raw = ArchiveEntries.digesting(fs.open(archive), sha)) {
      BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
      in.mark(4);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      if (b0 == 'P' && b1 == 'K') {
        unzip(new ZipInputStream(in), archive, keep, staged, target);
      } else if (b0 == 0x1f && b1 == 0x8b) {
        untar(new TarArchiveInputStream(new GZIPInputStream(in, 1 << 16)), archive, keep, staged, target);
      } else {
        untar(new TarArchiveInputStream(in), archive, keep, staged, target);
      }
      raw.transferTo(OutputStream.nullOutputStream());
    } catch (DatasetFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new DatasetFormatException("Cannot read " + archive + ": unreadable archive: " + e.getMessage(), e);
    }
    return new ShardManifest.SourceFile(archive.getName(), fs.getFileStatus(archive).getLen(),
        HexFormat.of().formatHex(sha.digest()));
  }

  private static void untar(TarArchiveInputStream tar, Path archive, Predicate<String> keep, FileSystem staged,
      Path target) throws IOException {
    int members = 0;
    for (TarArchiveEntry e; (e = tar.getNextTarEntry()) != null; ) {
      members++;
      if (e.isFile()) {
        copy(tar, e.getName(), archive, keep, staged, target);
      }
    }
    if (members == 0) {
      throw DatasetFormatException.of(archive, "not a tar, tar.gz or zip archive", "no members");
    }
  }

  private static void unzip(ZipInputStream zip, Path archive, Predicate<String> keep, FileSystem staged, Path target)
      throws IOException {
    for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
      if (!e.isDirectory()) {
        copy(zip, e.getName(), archive, keep, staged, target);
      }
    }
  }

  private static void copy(InputStream member, String name, Path archive, Predicate<String> keep, FileSystem staged,
      Path target) throws IOException {
    List<String> path = ArchiveEntries.segments(name, archive);
    String clean = String.join("/", path);
    if (keep.test(clean)) {
      ArchiveEntries.stage(member, staged, new Path(target, clean));
    }
  }
}
