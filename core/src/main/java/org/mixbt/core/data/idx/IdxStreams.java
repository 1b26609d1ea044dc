package org.mixbt.core.data.idx;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.mixbt.core.data.DatasetFormatException;

/** Opening IDX files, gzipped or plain, and reading from them without mistaking a short read for the end. */
final class IdxStreams {
  private static final int BUFFER = 1 << 16;

  private IdxStreams() {}

  /** Opens {@code file}, decompressing it when it starts with the gzip magic bytes 1f 8b (whatever its name). */
  static InputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw DatasetFormatException.of(file, "missing file", Files.exists(file) ? "not a regular file" : "no such file");
    }
    InputStream raw;
    try {
      raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
    } catch (NoSuchFileException e) {
      throw DatasetFormatException.of(file, "missing file", "no such file");
    }
    try {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 0x1f && b1 == 0x8b) {
        return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
      }
      return raw;
    } catch (EOFException e) {
      raw.close();
      throw DatasetFormatException.of(file, "truncated gzip header", e.getMessage());
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * Reads up to {@code len} bytes, fewer only at the end of the data; a gzip stream that ends early
   * (EOFException) counts as the end, so callers report the truncation with the bytes actually found.
   */
  static int readUpTo(InputStream in, byte[] buf, int off, int len) throws IOException {
    int n = 0;
    while (n < len) {
      int r;
      try {
        r = in.read(buf, off + n, len - n);
      } catch (EOFException e) {
        break;
      }
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  /** True when at least one more byte follows (a truncated gzip trailer counts as no byte). */
  static boolean hasMore(InputStream in) throws IOException {
    try {
      return in.read() >= 0;
    } catch (EOFException e) {
      return false;
    }
  }
}
