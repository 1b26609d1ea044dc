package org.mixbt.core.shard;

import java.util.List;

/**
 * Columns of a shard file (Parquet), one row per image. Types are named here without Spark or Parquet
 * types so the core stays free of them; writers and readers map them ({@code long} = INT64,
 * {@code int} = INT32, {@code binary} = BYTE_ARRAY), all columns non-null.
 */
public final class ShardSchema {
  /** Stable id: the image's index in the publisher's source file of its split. */
  public static final String ID = "id";
  /** Class index into {@link ShardManifest#classNames()}. */
  public static final String LABEL = "label";
  /** {@code height × width × channels} uint8 pixels, row-major HWC. */
  public static final String PIXELS = "pixels";
  public static final String HEIGHT = "height";
  public static final String WIDTH = "width";
  public static final String CHANNELS = "channels";

  public static final String TYPE_LONG = "long";
  public static final String TYPE_INT = "int";
  public static final String TYPE_BINARY = "binary";

  /** One column: its name and type name. */
  public record Column(String name, String type) {}

  /** All columns in file order. */
  public static final List<Column> COLUMNS = List.of(
      new Column(ID, TYPE_LONG),
      new Column(LABEL, TYPE_INT),
      new Column(PIXELS, TYPE_BINARY),
      new Column(HEIGHT, TYPE_INT),
      new Column(WIDTH, TYPE_INT),
      new Column(CHANNELS, TYPE_INT));

  private ShardSchema() {}
}
