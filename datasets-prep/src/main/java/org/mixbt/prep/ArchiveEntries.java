package org.mixbt.prep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;

/** Archive members: names checked before anything is written, and copied to staging files. */
final class ArchiveEntries {
  private ArchiveEntries() {}

  /**
   * The member's name split into path segments; a name that is absolute, or has an empty, "." or ".."
   * segment could write outside the staging folder and is an error naming the archive.
   */
  static List<String> segments(String name, Object archive) {
    String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    List<String> parts = List.of(n.split("/", -1));
    boolean bad = n.isEmpty() || n.startsWith("/") || n.contains("\\")
        || parts.stream().anyMatch(p -> p.isEmpty() || p.equals(".") || p.equals(".."));
    if (bad) {
      throw DatasetFormatException.of(archive, "entry path escapes the output", name);
    }
    return parts;
  }

  /**
   * A stream that digests every byte of {@code in}, skipped ones included: commons-compress skips tar
   * padding with {@code skip}, which a plain DigestInputStream would leave out of the digest.
   */
  static DigestInputStream digesting(InputStream in, MessageDigest digest) {
    return new DigestInputStream(in, digest) {
      @Override
      public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(Math.max(n, 1), 1 << 16)];
        long done = 0;
        while (done < n) {
          int r = read(buf, 0, (int) Math.min(buf.length, n - done));
          if (r < 0) {
            break;
          }
          done += r;
        }
        return done;
      }
    };
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
  }

  /** Copies {@code in} (not closed) to a new file {@code target}. */
  static void stage(InputStream in, FileSystem fs, Path target) throws IOException {
    try (OutputStream out = fs.create(target, false)) {
      in.transferTo(out);
    }
  }
}
