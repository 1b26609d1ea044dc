package org.mixbt.core.data.idx;

import java.io.IOException;
import java.io.InputStream;
import org.mixbt.core.data.DatasetFormatException;

/** The header of an IDX file: the magic number and the big-endian size of each dimension. */
final class IdxHeader {
  /** Magic of an unsigned-byte IDX file with three dimensions (count, rows, columns). */
  static final int IMAGES_MAGIC = 0x00000803;
  /** Magic of an unsigned-byte IDX file with one dimension (count). */
  static final int LABELS_MAGIC = 0x00000801;

  private final int[] dims;

  private IdxHeader(int[] dims) {
    this.dims = dims;
  }

  int dim(int i) {
    return dims[i];
  }

  /** Reads and checks the header; {@code expectedMagic} fixes the type (0x08) and the rank. */
  static IdxHeader read(InputStream in, String file, int expectedMagic) throws IOException {
    int rank = expectedMagic & 0xFF;
    byte[] bytes = new byte[4 + 4 * rank];
    int found = IdxStreams.readUpTo(in, bytes, 0, bytes.length);
    if (found == 0) {
      throw DatasetFormatException.of(file, "empty file", "0 bytes");
    }
    if (found < 4) {
      throw DatasetFormatException.of(file, "truncated header", "expected " + bytes.length + " bytes, found " + found);
    }
    int magic = readInt(bytes, 0);
    if (magic != expectedMagic) {
      throw DatasetFormatException.of(file, "wrong magic number",
          String.format("expected 0x%08x, found 0x%08x", expectedMagic, magic));
    }
    if (found < bytes.length) {
      throw DatasetFormatException.of(file, "truncated header", "expected " + bytes.length + " bytes, found " + found);
    }
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      long size = readInt(bytes, 4 + 4 * i) & 0xFFFFFFFFL;
      if (size > Integer.MAX_VALUE || (i > 0 && size == 0)) {
        throw DatasetFormatException.of(file, "bad size of dimension " + i, size);
      }
      dims[i] = (int) size;
    }
    return new IdxHeader(dims);
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
  }
}
