package org.mixbt.core.shard;

/**
 * A shard root is malformed: missing or unreadable manifest, a shard missing or not matching the
 * manifest (size, sha256). Messages follow "Cannot &lt;do what&gt;: &lt;why&gt;: &lt;value&gt;".
 */
public class ShardFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ShardFormatException(String message) {
    super(message);
  }

  public ShardFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
