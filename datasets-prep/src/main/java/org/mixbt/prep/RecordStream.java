package org.mixbt.prep;

import java.io.IOException;
import java.io.InputStream;
import org.mixbt.core.data.DatasetFormatException;

/**
 * Fixed-size records of one publisher file, read one at a time. A partial last record, or a stream that fails
 * mid-record (a truncated gzip or tar), is reported with the file and the record index.
 */
final class RecordStream {
  private final InputStream in;
  private final String file;
  private final int recordSize;
  private long index;

  RecordStream(InputStream in, String file, int recordSize) {
    this.in = in;
    this.file = file;
    this.recordSize = recordSize;
  }

  /** Checks a member's size before reading: a whole number of records. */
  static long count(long size, String file, int recordSize, String what) {
    if (size % recordSize != 0) {
      throw DatasetFormatException.of(file, "wrong record size: " + size + " bytes is not a whole number of "
          + recordSize + "-byte " + what + " records (truncated, or another dataset's file?)", size % recordSize
          + " bytes left over");
    }
    return size / recordSize;
  }

  /** Index of the record the next {@link #next} call reads. */
  long index() {
    return index;
  }

  /** Fills {@code record} with the next record; false at a clean end of the data. */
  boolean next(byte[] record) {
    int n = 0;
    try {
      while (n < recordSize) {
        int r = in.read(record, n, recordSize - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    } catch (IOException e) {
      throw DatasetFormatException.of(file, "truncated or unreadable at record " + index + " (" + n + " of "
          + recordSize + " bytes read)", e.getMessage());
    }
    if (n == 0) {
      return false;
    }
    if (n < recordSize) {
      throw DatasetFormatException.of(file, "truncated at record " + index, n + " of " + recordSize + " bytes");
    }
    index++;
    return true;
  }
}
