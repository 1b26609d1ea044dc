package org.mixbt.core.shard;

import java.io.Serializable;
import java.util.Arrays;
import org.mixbt.core.data.ImageRecord;

/**
 * One row of a shard as the prep job writes it (see {@link ShardSchema} for the meaning of each field).
 *
 * <p>The byte array is owned by the record (not copied): callers must not modify it after construction.
 */
public record ShardRecord(long id, int label, int coarseLabel, String encoding, byte[] bytes, int height, int width,
    int channels, String source) implements Serializable {

  public ShardRecord {
    if (id < 0) {
      throw new IllegalArgumentException("Cannot create shard record: negative id: " + id);
    }
    if (label < ShardSchema.UNLABELED || coarseLabel < ShardSchema.UNLABELED) {
      throw new IllegalArgumentException("Cannot create shard record " + id + " (" + source + "): label below -1: "
          + label + ", coarse " + coarseLabel);
    }
    if (height <= 0 || width <= 0 || channels <= 0) {
      throw new IllegalArgumentException("Cannot create shard record " + id + " (" + source + "): non-positive shape: "
          + height + "x" + width + "x" + channels);
    }
    if (encoding == null || encoding.isEmpty() || bytes == null || source == null) {
      throw new IllegalArgumentException("Cannot create shard record " + id + ": encoding, bytes and source are required");
    }
    if (isRaw(encoding) && bytes.length != (long) height * width * channels) {
      throw new IllegalArgumentException("Cannot create shard record " + id + " (" + source + "): pixel length "
          + bytes.length + " does not match shape " + height + "x" + width + "x" + channels);
    }
  }

  /** A raw-pixel row for an image with a fine label only. */
  public static ShardRecord raw(ImageRecord r, String source) {
    return new ShardRecord(r.id(), r.label(), ShardSchema.UNLABELED, ShardSchema.RAW, r.pixels(), r.height(),
        r.width(), r.channels(), source);
  }

  /** A raw-pixel row; {@code label} and {@code coarseLabel} may be {@link ShardSchema#UNLABELED}. */
  public static ShardRecord raw(long id, int label, int coarseLabel, byte[] pixels, int height, int width,
      int channels, String source) {
    return new ShardRecord(id, label, coarseLabel, ShardSchema.RAW, pixels, height, width, channels, source);
  }

  public boolean isRaw() {
    return isRaw(encoding);
  }

  private static boolean isRaw(String encoding) {
    return ShardSchema.RAW.equals(encoding);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardRecord r && id == r.id && label == r.label && coarseLabel == r.coarseLabel
        && encoding.equals(r.encoding) && Arrays.equals(bytes, r.bytes) && height == r.height && width == r.width
        && channels == r.channels && source.equals(r.source);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "ShardRecord[id=" + id + ", label=" + label + ", " + encoding + " " + height + "x" + width + "x" + channels
        + ", source=" + source + "]";
  }
}
