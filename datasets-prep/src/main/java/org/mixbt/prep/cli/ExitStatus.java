package org.mixbt.prep.cli;

import java.io.EOFException;
import java.util.List;
import java.util.zip.ZipException;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardFormatException;

/**
 * Exit statuses of {@code PrepJob} and the one-line message for a failure. Spark wraps an executor's
 * exception in its own (with the stack trace in the message), so the cause chain is searched for the
 * first data error, and only the first line of a message is printed.
 */
public final class ExitStatus {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int BAD_DATA = 3;

  /**
   * Exception types meaning "the input data (publisher files or shards) is bad", exit {@value #BAD_DATA}.
   * A source that reports bad data through another type adds it here.
   */
  static final List<Class<? extends Throwable>> DATA_ERRORS = List.of(DatasetFormatException.class,
      ShardFormatException.class, ZipException.class, EOFException.class, javax.imageio.IIOException.class);

  private ExitStatus() {}

  /** Status for a failure while checking options, before any work: usage errors are 2. */
  public static int ofPreparation(Throwable t) {
    return t instanceof IllegalArgumentException || t instanceof UsageException ? USAGE : ofRun(t);
  }

  /** Status for a failure while running. */
  public static int ofRun(Throwable t) {
    if (dataError(t) != null) {
      return BAD_DATA;
    }
    return t instanceof UsageException ? USAGE : FAILED;
  }

  /** One line: the data error's message if there is one in the chain, else the failure's own. */
  public static String message(Throwable t) {
    Throwable shown = dataError(t) != null ? dataError(t) : t;
    String m = shown.getMessage();
    if (m == null || m.isBlank()) {
      return shown.getClass().getName();
    }
    int newline = m.indexOf('\n');
    return (newline < 0 ? m : m.substring(0, newline)).strip();
  }

  private static Throwable dataError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      for (Class<? extends Throwable> type : DATA_ERRORS) {
        if (type.isInstance(c)) {
          return c;
        }
      }
    }
    return null;
  }
}
