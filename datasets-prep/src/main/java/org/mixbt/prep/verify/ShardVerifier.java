package org.mixbt.prep.verify;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.mixbt.core.shard.ShardFormatException;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardSchema;
import org.mixbt.core.shard.ShardStore;

/**
 * Checks a shard root against its manifest: first every shard's sha256 (and that no file is missing or
 * stray), then each shard re-read with Parquet: schema = {@link ShardSchema#COLUMNS}, row count = manifest,
 * and every row by {@link RowCheck}. The first problem is a {@link ShardFormatException} naming the shard
 * file and, for a row, its position, id and field.
 */
public final class ShardVerifier {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private final ShardStore store;
  private final Configuration conf;

  public ShardVerifier(ShardStore store) {
    this.store = store;
    this.conf = new Configuration(store.fileSystem().getConf());
    // Catches a damaged page behind a forged hash where the page has a CRC: parquet-mr 1.13 checks it for
    // v1 data and dictionary pages only (other tools' files), not for the v2 pages SparkShardWriter writes.
    conf.setBoolean("parquet.page.verify-checksum.enabled", true);
  }

  /** Verifies every split; returns one report per split, in manifest order. */
  public List<SplitReport> verify() throws IOException {
    ShardManifest m = store.manifest();
    for (String split : m.splits().keySet()) {
      store.verify(split);
      checkNoStrayFiles(split);
    }
    List<SplitReport> reports = new ArrayList<>();
    for (var e : m.splits().entrySet()) {
      RowCheck rows = new RowCheck(m);
      List<Path> paths = store.shardPaths(e.getKey());
      long bytes = 0;
      for (int i = 0; i < paths.size(); i++) {
        verifyShard(paths.get(i), e.getValue().shards().get(i), rows);
        bytes += store.fileSystem().getFileStatus(paths.get(i)).getLen();
      }
      reports.add(new SplitReport(e.getKey(), e.getValue().records(), paths.size(), bytes, rows.minLabel,
          rows.maxLabel, rows.minHeight, rows.maxHeight, rows.minWidth, rows.maxWidth));
    }
    return reports;
  }

  private void checkNoStrayFiles(String split) throws IOException {
    Set<String> listed = new HashSet<>();
    store.manifest().splits().get(split).shards().forEach(s -> listed.add(s.file()));
    for (FileStatus s : store.fileSystem().listStatus(new Path(store.root(), split))) {
      if (!listed.contains(s.getPath().getName())) {
        throw new ShardFormatException("Cannot verify split " + split + " of " + store.root()
            + ": file not listed in the manifest: " + s.getPath().getName());
      }
    }
  }

  private void verifyShard(Path path, ShardManifest.Shard shard, RowCheck check) throws IOException {
    checkLeadingMagic(path);
    InputFile file = HadoopInputFile.fromPath(path, conf);
    MessageType schema;
    long footerRows;
    try (ParquetFileReader reader = ParquetFileReader.open(file)) {
      schema = reader.getFooter().getFileMetaData().getSchema();
      footerRows = reader.getRecordCount();
    } catch (IOException | RuntimeException e) {
      throw new ShardFormatException("Cannot verify shard " + path + ": unreadable Parquet footer: " + firstLine(e), e);
    }
    List<ShardSchema.Column> columns = columns(schema);
    if (!columns.equals(ShardSchema.COLUMNS)) {
      throw new ShardFormatException("Cannot verify shard " + path + ": schema differs from " + ShardSchema.COLUMNS
          + ": " + columns);
    }
    if (footerRows != shard.records()) {
      throw new ShardFormatException("Cannot verify shard " + path + ": row count differs from the manifest's "
          + shard.records() + ": " + footerRows);
    }
    long row = 0;
    try (ParquetReader<Group> reader = groups(file)) {
      for (Group g = next(reader, path, row); g != null; g = next(reader, path, ++row)) {
        RowCheck.Row r = new RowCheck.Row(g.getLong(ShardSchema.ID, 0), g.getInteger(ShardSchema.LABEL, 0),
            g.getInteger(ShardSchema.COARSE_LABEL, 0), g.getString(ShardSchema.ENCODING, 0),
            g.getBinary(ShardSchema.PIXELS, 0).length(), g.getInteger(ShardSchema.HEIGHT, 0),
            g.getInteger(ShardSchema.WIDTH, 0), g.getInteger(ShardSchema.CHANNELS, 0),
            g.getString(ShardSchema.SOURCE, 0));
        String problem = check.check(r);
        if (problem != null) {
          throw new ShardFormatException("Cannot verify shard " + path + ": row " + row + " (id " + r.id() + "): "
              + problem);
        }
      }
    }
    if (row != shard.records()) {
      throw new ShardFormatException("Cannot verify shard " + path + ": rows read differ from the manifest's "
          + shard.records() + ": " + row);
    }
  }

  /** Parquet readers check only the trailing "PAR1"; the leading one is checked here. */
  private void checkLeadingMagic(Path path) throws IOException {
    byte[] head = new byte[MAGIC.length];
    try (FSDataInputStream in = store.fileSystem().open(path)) {
      in.readFully(head);
    } catch (EOFException e) {
      throw new ShardFormatException("Cannot verify shard " + path + ": not a Parquet file: shorter than its magic");
    }
    if (!Arrays.equals(head, MAGIC)) {
      throw new ShardFormatException("Cannot verify shard " + path + ": not a Parquet file: leading bytes "
          + HexFormat.of().formatHex(head) + " instead of PAR1");
    }
  }

  private ParquetReader<Group> groups(InputFile file) throws IOException {
    return new ParquetReader.Builder<Group>(file) {
      @Override
      protected GroupReadSupport getReadSupport() {
        return new GroupReadSupport();
      }
    }.withConf(conf).build();
  }

  /** The next row; a decoding failure (damaged page, bad CRC) becomes a ShardFormatException naming the row. */
  private static Group next(ParquetReader<Group> reader, Path path, long row) {
    try {
      return reader.read();
    } catch (IOException | RuntimeException e) {
      throw new ShardFormatException("Cannot verify shard " + path + ": unreadable Parquet data at row " + row
          + ": " + firstLine(e), e);
    }
  }

  /** The file's columns named in {@link ShardSchema}'s terms; a nullable or unknown type shows as such. */
  static List<ShardSchema.Column> columns(MessageType schema) {
    List<ShardSchema.Column> out = new ArrayList<>();
    for (Type t : schema.getFields()) {
      String type = t.isPrimitive() ? typeName(t.asPrimitiveType()) : "group";
      if (t.getRepetition() != Type.Repetition.REQUIRED) {
        type = t.getRepetition().name().toLowerCase(java.util.Locale.ROOT) + " " + type;
      }
      out.add(new ShardSchema.Column(t.getName(), type));
    }
    return out;
  }

  private static String typeName(PrimitiveType p) {
    LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
    return switch (p.getPrimitiveTypeName()) {
      case INT64 -> logical == null ? ShardSchema.TYPE_LONG : "int64 " + logical;
      case INT32 -> logical == null ? ShardSchema.TYPE_INT : "int32 " + logical;
      case BINARY -> logical == null ? ShardSchema.TYPE_BINARY
          : logical.equals(LogicalTypeAnnotation.stringType()) ? ShardSchema.TYPE_STRING : "binary " + logical;
      default -> p.getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
