package org.mixbt.job;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.mixbt.core.shard.ShardFormatException;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.shard.ShardSchema;

/**
 * Reads one shard file, on the executor the driver assigned it to, as the stored rows (encoded images stay
 * encoded: they are decoded where a batch is built). Any Hadoop file system; a damaged file or a row that
 * breaks the shard format is a {@link ShardFormatException} naming the file, the row and the problem.
 */
final class ShardFileReader {
  private ShardFileReader() {
  }

  /** The rows of {@code shard} with id &lt; idLimit (0 keeps all). */
  static List<ShardRecord> read(Path shard, Configuration conf, long idLimit) {
    List<ShardRecord> rows = new ArrayList<>();
    long row = 0;
    try (ParquetReader<Group> reader = groups(HadoopInputFile.fromPath(shard, conf), conf)) {
      for (Group g = next(reader, shard, row); g != null; g = next(reader, shard, ++row)) {
        ShardRecord r = toRecord(g, shard, row);
        if (idLimit <= 0 || r.id() < idLimit) {
          rows.add(r);
        }
      }
    } catch (IOException e) {
      throw new ShardFormatException("Cannot read shard " + shard + ": " + e.getMessage(), e);
    }
    return rows;
  }

  private static ShardRecord toRecord(Group g, Path shard, long row) {
    try {
      return new ShardRecord(g.getLong(ShardSchema.ID, 0), g.getInteger(ShardSchema.LABEL, 0),
          g.getInteger(ShardSchema.COARSE_LABEL, 0), g.getString(ShardSchema.ENCODING, 0),
          g.getBinary(ShardSchema.PIXELS, 0).getBytes(), g.getInteger(ShardSchema.HEIGHT, 0),
          g.getInteger(ShardSchema.WIDTH, 0), g.getInteger(ShardSchema.CHANNELS, 0), g.getString(ShardSchema.SOURCE, 0));
    } catch (RuntimeException e) {
      // A missing column or a value the record refuses (negative id, pixel length off): name where it is.
      throw new ShardFormatException("Cannot read shard " + shard + ": row " + row + ": " + e.getMessage(), e);
    }
  }

  private static ParquetReader<Group> groups(InputFile file, Configuration conf) throws IOException {
    return new ParquetReader.Builder<Group>(file) {
      @Override
      protected GroupReadSupport getReadSupport() {
        return new GroupReadSupport();
      }
    }.withConf(conf).build();
  }

  /** The next row; a decoding failure (damaged page, bad CRC) names the row. */
  private static Group next(ParquetReader<Group> reader, Path shard, long row) {
    try {
      return reader.read();
    } catch (IOException | RuntimeException e) {
      throw new ShardFormatException("Cannot read shard " + shard + ": unreadable Parquet data at row " + row + ": "
          + e.getMessage(), e);
    }
  }
}
