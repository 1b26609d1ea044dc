package org.mixbt.job.report;

/** A metrics file that cannot be read; the message names the file and the line. */
public class MetricsFormatException extends RuntimeException {
  public MetricsFormatException(String message) {
    super(message);
  }
}
