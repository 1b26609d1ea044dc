package org.mixbt.core.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One validated image: a stable id (its index in the publisher's source file), a class label (or
 * {@link #UNLABELED}) and
 * {@code height × width × channels} uint8 pixels in row-major HWC order.
 *
 * <p>The pixel array is owned by the record (not copied, to keep one copy of a dataset in memory):
 * callers must not modify it after construction.
 */
public final class ImageRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Label of an image without one (STL-10's unlabelled split). */
  public static final int UNLABELED = -1;

  private final long id;
  private final int label;
  private final byte[] pixels;
  private final int height;
  private final int width;
  private final int channels;

  public ImageRecord(long id, int label, byte[] pixels, int height, int width, int channels) {
    if (id < 0) {
      throw new IllegalArgumentException("Cannot create image record: negative id: " + id);
    }
    if (label < UNLABELED) {
      throw new IllegalArgumentException("Cannot create image record " + id + ": label below -1: " + label);
    }
    if (height <= 0 || width <= 0 || channels <= 0) {
      throw new IllegalArgumentException("Cannot create image record " + id + ": non-positive shape: "
          + height + "x" + width + "x" + channels);
    }
    if (pixels == null) {
      throw new IllegalArgumentException("Cannot create image record " + id + ": pixels: null");
    }
    long expected = (long) height * width * channels;
    if (pixels.length != expected) {
      throw new IllegalArgumentException("Cannot create image record " + id + ": pixel length " + pixels.length
          + " does not match shape " + height + "x" + width + "x" + channels + ": expected " + expected);
    }
    this.id = id;
    this.label = label;
    this.pixels = pixels;
    this.height = height;
    this.width = width;
    this.channels = channels;
  }

  public long id() {
    return id;
  }

  public int label() {
    return label;
  }

  /** Row-major HWC uint8 pixels (read {@code pixels()[i] & 0xFF}); do not modify. */
  public byte[] pixels() {
    return pixels;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int channels() {
    return channels;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ImageRecord)) {
      return false;
    }
    ImageRecord r = (ImageRecord) o;
    return id == r.id && label == r.label && height == r.height && width == r.width
        && channels == r.channels && Arrays.equals(pixels, r.pixels);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "ImageRecord[id=" + id + ", label=" + label + ", " + height + "x" + width + "x" + channels + "]";
  }
}
