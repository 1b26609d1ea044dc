package org.mixbt.core.shard;

import java.util.List;

/**
 * Columns of a shard file (Parquet), one row per image. Types are named here without Spark or Parquet
 * types so the core stays free of them; writers and readers map them ({@code long} = INT64,
 * {@code int} = INT32, {@code binary} = BYTE_ARRAY, {@code string} = BYTE_ARRAY UTF8), all columns non-null.
 *
 * <p>A row holds either raw pixels ({@link #ENCODING} = {@value #RAW}: {@code height × width × channels}
 * uint8, row-major HWC) or the publisher's encoded file bytes (any other encoding, e.g. "jpeg", "png":
 * height, width and channels then describe the decoded image as the prep job decoded it).
 */
public final class ShardSchema {
  /** Stable id: the image's index in the publisher's source of its split (file order, or sorted path order). */
  public static final String ID = "id";
  /** Class index into {@link ShardManifest#classNames()}; {@value #UNLABELED} for unlabelled images (STL-10). */
  public static final String LABEL = "label";
  /** Index into {@link ShardManifest#coarseClassNames()} (CIFAR-100's superclass); {@value #UNLABELED} if none. */
  public static final String COARSE_LABEL = "coarse_label";
  /** {@value #RAW}, or the lower-case name of the image file format the bytes are in. */
  public static final String ENCODING = "encoding";
  /** Raw HWC uint8 pixels, or encoded file bytes; see {@link #ENCODING}. */
  public static final String PIXELS = "pixels";
  public static final String HEIGHT = "height";
  public static final String WIDTH = "width";
  public static final String CHANNELS = "channels";
  /** Where the image came from in the publisher's files, e.g. "data_batch_1[17]" or "train/n01/x.JPEG". */
  public static final String SOURCE = "source";

  /** Label of an image without one, and coarse label of a dataset without coarse classes. */
  public static final int UNLABELED = -1;
  /** Encoding of raw pixel rows. */
  public static final String RAW = "raw";

  public static final String TYPE_LONG = "long";
  public static final String TYPE_INT = "int";
  public static final String TYPE_BINARY = "binary";
  public static final String TYPE_STRING = "string";

  /** One column: its name and type name. */
  public record Column(String name, String type) {}

  /** All columns in file order. */
  public static final List<Column> COLUMNS = List.of(
      new Column(ID, TYPE_LONG),
      new Column(LABEL, TYPE_INT),
      new Column(COARSE_LABEL, TYPE_INT),
      new Column(ENCODING, TYPE_STRING),
      new Column(PIXELS, TYPE_BINARY),
      new Column(HEIGHT, TYPE_INT),
      new Column(WIDTH, TYPE_INT),
      new Column(CHANNELS, TYPE_INT),
      new Column(SOURCE, TYPE_STRING));

  private ShardSchema() {}
}
