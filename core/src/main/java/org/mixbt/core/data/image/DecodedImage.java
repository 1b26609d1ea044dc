package org.mixbt.core.data.image;

/**
 * A decoded image: {@code height × width × 3} RGB uint8 pixels, row-major HWC, and the format the bytes
 * were in. The pixel array is owned by the record: do not modify it.
 */
public record DecodedImage(String format, int height, int width, byte[] pixels) {
  public static final int CHANNELS = 3;

  public DecodedImage {
    if ((long) height * width * CHANNELS != pixels.length) {
      throw new IllegalArgumentException("Cannot create decoded image: pixel length " + pixels.length
          + " does not match " + height + "x" + width + "x3");
    }
  }
}
