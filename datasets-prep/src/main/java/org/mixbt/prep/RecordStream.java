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

  /**
   * Checks a file's size before reading: a whole number of records. A truncated file and another dataset's file
   * (e.g. CIFAR-100 records given as CIFAR-10) both fail here, naming the first incomplete record.
   */
  static long count(long size, String file, int recordSize, String what) {
    if (size % recordSize != 0) {
      throw DatasetFormatException.of(file, "truncated or wrong record size: record " + size / recordSize
          + " has only " + size % recordSize + " of " + recordSize + " bytes of a " + what + " record", "file size "
          + size);
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
      throw DatasetFormatException.of(file, "truncated or unreadable at record " + index, e.getMessage());
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
