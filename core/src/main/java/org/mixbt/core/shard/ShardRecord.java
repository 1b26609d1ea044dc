package org.mixbt.core.shard;

import java.io.Serializable;
import java.util.Arrays;
import org.mixbt.core.data.ImageRecord;
import org.mixbt.core.data.image.DecodedImage;
import org.mixbt.core.data.image.ImageDecoder;

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

  /**
   * The image this row stores: raw rows as they are, encoded rows decoded (JPEG, PNG, ...) to RGB. Decoding
   * happens where the row is used (the executor building a batch), so rows travel and are cached encoded.
   *
   * @throws ShardFormatException when the decoded image does not match the row's format or size
   */
  public ImageRecord decode() {
    if (isRaw()) {
      return new ImageRecord(id, label, bytes, height, width, channels);
    }
    DecodedImage image = ImageDecoder.decode(bytes, source);
    if (image.height() != height || image.width() != width || !image.format().equals(encoding)) {
      throw new ShardFormatException("Cannot read shard row " + source + ": decoded image does not match its row: "
          + image.format() + " " + image.height() + "x" + image.width() + ", row says " + encoding + " " + height
          + "x" + width);
    }
    return new ImageRecord(id, label, image.pixels(), height, width, DecodedImage.CHANNELS);
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
