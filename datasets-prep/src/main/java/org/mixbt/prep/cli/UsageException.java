package org.mixbt.prep.cli;

/**
 * The command line or the settings it names are wrong (unknown option, missing value, output exists without
 * {@code --overwrite}): exit status 2, nothing was read or written.
 */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
