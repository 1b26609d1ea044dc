package org.mixbt.core.checkpoint;

/** A checkpoint that cannot be written or read; the message names the path. */
public class CheckpointException extends RuntimeException {
  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }

  public CheckpointException(String message) {
    super(message);
  }
}
