package org.mixbt.core.data.image;

import org.mixbt.core.data.DatasetFormatException;

/**
 * An image file could not be decoded. {@link #reason()} is the short cause recorded in a manifest's
 * skipped list; the message names the file: "Cannot decode &lt;source&gt;: &lt;reason&gt;".
 */
public final class ImageDecodeException extends DatasetFormatException {
  private static final long serialVersionUID = 1L;
  private final String reason;

  public ImageDecodeException(String source, String reason, Throwable cause) {
    super("Cannot decode " + source + ": " + reason, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
