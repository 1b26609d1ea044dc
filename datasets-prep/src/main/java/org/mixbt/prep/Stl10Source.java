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
 * STL-10 from the publisher's {@code stl10_binary.tar.gz} ({@code stl10_binary/train_X.bin}, {@code train_y.bin},
 * {@code test_X.bin}, {@code test_y.bin}, {@code unlabeled_X.bin}, {@code class_names.txt}) or its extracted
 * folder. An image is 3 planes (R, G, B) of 96 × 96 bytes, each plane column-major (MATLAB order); a label is one
 * byte 1..10, stored here as 0..9.
 *
 * <p>Splits: {@code train}, {@code test}, {@code unlabeled} (label -1) and {@code train+unlabeled}, the
 * pretraining union: the train records first, then the unlabeled ones with label -1. Ids are the index in the
 * publisher's file, except that in the union unlabeled image j gets id {@code T + j}, T being the number of train
 * images (5000 in the published set), so ids stay unique and stable; {@code source} names file and index either way.
 *
 * <p>Memory: a split is held in memory as raw records while it is written, 27 648 bytes per image: 138 MB for
 * train, 2.76 GB for unlabeled, 2.9 GB for train+unlabeled. Only one split is read at a time.
 */
public final class Stl10Source implements ImageSource {
  static final int SIDE = 96;
  static final int CHANNELS = 3;
  static final int IMAGE_BYTES = SIDE * SIDE * CHANNELS;
  static final String ROOT = "stl10_binary";
  static final String UNION = "train+unlabeled";
  private static final int CLASSES = 10;

  private final PublisherFiles files;
  private final PrintStream progress;
  private final List<String> classNames;

  /** Opens {@code input} and checks every file's presence and size before anything is converted. */
  public Stl10Source(Path input, PrintStream progress) throws IOException {
    this.files = PublisherFiles.open(input, ROOT);
    this.progress = progress;
    for (String part : List.of("train", "test", "unlabeled")) {
      files.require(members(part));
      count(part);
    }
    classNames = files.lines("class_names.txt");
    if (classNames.size() != CLASSES) {
      throw DatasetFormatException.of(files.describe("class_names.txt"), "expected " + CLASSES + " class names, found "
          + classNames.size(), classNames);
    }
  }

  @Override
  public String dataset() {
    return "stl-10";
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public List<String> splits() {
    return List.of("train", "test", "unlabeled", UNION);
  }

  @Override
  public List<Path> sourceFiles(String split) {
    List<String> members = new ArrayList<>();
    for (String part : parts(split)) {
      members.addAll(members(part));
    }
    return files.sourceFiles(members);
  }

  @Override
  public List<ShardRecord> read(String split) throws IOException {
    List<String> parts = parts(split);
    long total = 0;
    for (String part : parts) {
      total += count(part);
    }
    if (total > Integer.MAX_VALUE) {
      throw DatasetFormatException.of(files.describe(parts.get(0) + "_X.bin"), "too many images", total);
    }
    PrepProgress p = new PrepProgress("stl-10 " + split, total, progress, 10);
    List<ShardRecord> records = new ArrayList<>((int) total);
    for (String part : parts) {
      readPart(part, records.size(), records, p);
    }
    p.finish();
    return records;
  }

  /** Appends the images of {@code part} ("train", "test" or "unlabeled") with ids from {@code firstId}. */
  private void readPart(String part, long firstId, List<ShardRecord> out, PrepProgress p) throws IOException {
    byte[] labels = part.equals("unlabeled") ? null : files.readAll(part + "_y.bin");
    String imagesMember = part + "_X.bin";
    String file = files.describe(imagesMember);
    byte[] image = new byte[IMAGE_BYTES];
    try (InputStream in = files.open(imagesMember)) {
      RecordStream stream = new RecordStream(in, file, IMAGE_BYTES);
      for (long i = stream.index(); stream.next(image); i = stream.index()) {
        int label = ShardSchema.UNLABELED;
        if (labels != null) {
          int raw = labels[(int) i] & 0xFF;
          if (raw < 1 || raw > CLASSES) {
            throw DatasetFormatException.of(files.describe(part + "_y.bin"), "label out of range [1, " + CLASSES
                + "] at record " + i, raw);
          }
          label = raw - 1;
        }
        byte[] hwc = PixelLayout.planarToHwc(image, 0, SIDE, SIDE, CHANNELS, true);
        out.add(ShardRecord.raw(firstId + i, label, ShardSchema.UNLABELED, hwc, SIDE, SIDE, CHANNELS,
            imagesMember + "[" + i + "]"));
        p.add(1, IMAGE_BYTES);
      }
    }
  }

  /** Number of images of a part, after checking the image file's size and that the labels file agrees. */
  private long count(String part) {
    String images = part + "_X.bin";
    long n = RecordStream.count(files.size(images), files.describe(images), IMAGE_BYTES, "STL-10 image");
    if (!part.equals("unlabeled")) {
      long labels = files.size(part + "_y.bin");
      if (labels != n) {
        throw DatasetFormatException.of(files.describe(part + "_y.bin"), "label count disagrees with "
            + images + " (" + n + " images)", labels + " labels");
      }
    }
    return n;
  }

  private static List<String> members(String part) {
    return part.equals("unlabeled") ? List.of("unlabeled_X.bin") : List.of(part + "_X.bin", part + "_y.bin");
  }

  private static List<String> parts(String split) {
    return switch (split) {
      case "train", "test", "unlabeled" -> List.of(split);
      case UNION -> List.of("train", "unlabeled");
      default -> throw new IllegalArgumentException("Cannot read STL-10: unknown split: " + split + " (known: train, "
          + "test, unlabeled, " + UNION + ")");
    };
  }
}
