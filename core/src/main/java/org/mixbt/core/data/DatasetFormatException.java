package org.mixbt.core.data;

/**
 * A publisher's raw dataset file (IDX, …) is missing, malformed, truncated or inconsistent.
 * Messages follow "Cannot read &lt;file&gt;: &lt;what was wrong&gt;: &lt;value&gt;".
 */
public class DatasetFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetFormatException(String message) {
    super(message);
  }

  public DatasetFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "Cannot read {file}: {what}: {value}". */
  public static DatasetFormatException of(Object file, String what, Object value) {
    return new DatasetFormatException("Cannot read " + file + ": " + what + ": " + value);
  }
}
