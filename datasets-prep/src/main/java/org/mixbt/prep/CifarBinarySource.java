package org.mixbt.prep;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.shard.ShardSchema;

/**
 * CIFAR-10 or CIFAR-100 from the publisher's binary distribution: {@code cifar-10-binary.tar.gz}
 * ({@code cifar-10-batches-bin/data_batch_1..5.bin}, {@code test_batch.bin}, {@code batches.meta.txt}) or
 * {@code cifar-100-binary.tar.gz} ({@code cifar-100-binary/train.bin}, {@code test.bin},
 * {@code fine_label_names.txt}, {@code coarse_label_names.txt}), or either extracted.
 *
 * <p>A CIFAR-10 record is 1 label byte then 3072 pixel bytes (1024 R, 1024 G, 1024 B, each plane row-major 32×32);
 * a CIFAR-100 record has the coarse label byte, then the fine label byte, then the pixels. Records become HWC raw
 * pixels; ids count over the split's files in publisher order (data_batch_1 first).
 */
public final class CifarBinarySource implements ImageSource {
  private final CifarLayout layout;
  private final PublisherFiles files;
  private final PrintStream progress;
  private final List<String> classNames;
  private final List<String> coarseClassNames;

  /** Opens {@code input} and checks that every file is present before anything is converted. */
  public CifarBinarySource(Path input, String dataset, PrintStream progress) throws IOException {
    this.layout = CifarLayout.of(dataset);
    this.files = PublisherFiles.open(input, layout.binaryRoot);
    this.progress = progress;
    for (String split : splits()) {
      files.require(members(split));
      recordCount(split);
    }
    if (layout.hasCoarse()) {
      classNames = names("fine_label_names.txt", layout.classes);
      coarseClassNames = names("coarse_label_names.txt", layout.coarseClasses);
    } else {
      classNames = names("batches.meta.txt", layout.classes);
      coarseClassNames = List.of();
    }
  }

  @Override
  public String dataset() {
    return layout.dataset;
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public List<String> coarseClassNames() {
    return coarseClassNames;
  }

  @Override
  public List<String> splits() {
    return CifarLayout.SPLITS;
  }

  @Override
  public List<Path> sourceFiles(String split) {
    return files.sourceFiles(members(split));
  }

  @Override
  public List<ShardRecord> read(String split) throws IOException {
    int labelBytes = labelBytes();
    int recordSize = labelBytes + CifarLayout.PIXELS;
    long total = recordCount(split);
    PrepProgress p = new PrepProgress(layout.dataset + " " + split, total, progress, 10);
    List<ShardRecord> records = new ArrayList<>((int) total);
    byte[] record = new byte[recordSize];
    for (String member : members(split)) {
      String file = files.describe(member);
      try (InputStream in = files.open(member)) {
        RecordStream stream = new RecordStream(in, file, recordSize);
        for (long i = stream.index(); stream.next(record); i = stream.index()) {
          int label = CifarLayout.checkLabel(record[labelBytes - 1] & 0xFF, layout.classes, "label", file, i);
          int coarse = layout.hasCoarse()
              ? CifarLayout.checkLabel(record[0] & 0xFF, layout.coarseClasses, "coarse label", file, i)
              : ShardSchema.UNLABELED;
          byte[] hwc = PixelLayout.planarToHwc(record, labelBytes, CifarLayout.SIDE, CifarLayout.SIDE,
              CifarLayout.CHANNELS, false);
          records.add(ShardRecord.raw(records.size(), label, coarse, hwc, CifarLayout.SIDE, CifarLayout.SIDE,
              CifarLayout.CHANNELS, member + "[" + i + "]"));
          p.add(1, recordSize);
        }
      }
    }
    p.finish();
    return records;
  }

  private int labelBytes() {
    return layout.hasCoarse() ? 2 : 1;
  }

  /** Records in the split's files, after checking each file holds whole records. */
  private long recordCount(String split) {
    long total = 0;
    for (String member : members(split)) {
      total += RecordStream.count(files.size(member), files.describe(member), labelBytes() + CifarLayout.PIXELS,
          layout.dataset);
    }
    return total;
  }

  private List<String> members(String split) {
    return layout.files(split).stream().map(f -> f + ".bin").toList();
  }

  private List<String> names(String member, int expected) throws IOException {
    List<String> names = files.lines(member);
    if (names.size() != expected) {
      throw DatasetFormatException.of(files.describe(member), "expected " + expected + " class names, found "
          + names.size(), names);
    }
    return names;
  }
}
