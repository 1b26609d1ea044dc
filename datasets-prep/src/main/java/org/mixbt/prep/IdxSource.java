package org.mixbt.prep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.data.idx.IdxReader;
import org.mixbt.core.shard.ShardRecord;

/**
 * MNIST or Fashion-MNIST as published: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte} in one directory, each gzipped
 * ({@code .gz}, preferred when both exist) or plain. Splits "train" and "test" (from t10k).
 */
public final class IdxSource implements ImageSource {
  private static final Map<String, List<String>> CLASS_NAMES = Map.of(
      "fashion-mnist", List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
      "mnist", List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
  private static final Map<String, String> FILE_PREFIX = Map.of("train", "train", "test", "t10k");

  private final Path dir;
  private final String dataset;

  /** Checks the dataset name and that all four files are present, before anything is read. */
  public IdxSource(Path dir, String dataset) {
    if (!CLASS_NAMES.containsKey(dataset)) {
      throw new IllegalArgumentException("Cannot read IDX dataset: unknown dataset: " + dataset
          + " (known: fashion-mnist, mnist)");
    }
    if (!Files.isDirectory(dir)) {
      throw DatasetFormatException.of(dir, "missing input directory", "no such directory");
    }
    this.dir = dir;
    this.dataset = dataset;
    for (String split : splits()) {
      sourceFiles(split);
    }
  }

  @Override
  public String dataset() {
    return dataset;
  }

  @Override
  public List<String> classNames() {
    return CLASS_NAMES.get(dataset);
  }

  @Override
  public List<String> splits() {
    return List.of("train", "test");
  }

  @Override
  public List<Path> sourceFiles(String split) {
    String prefix = FILE_PREFIX.get(split);
    if (prefix == null) {
      throw new IllegalArgumentException("Cannot read " + dir + ": unknown split: " + split);
    }
    return List.of(find(prefix + "-images-idx3-ubyte"), find(prefix + "-labels-idx1-ubyte"));
  }

  @Override
  public List<ShardRecord> read(String split) throws IOException {
    List<Path> files = sourceFiles(split);
    int classes = classNames().size();
    String name = files.get(0).getFileName().toString();
    List<ShardRecord> records = new ArrayList<>();
    IdxReader.forEach(files.get(0), files.get(1), r -> {
      if (r.label() >= classes) {
        throw DatasetFormatException.of(files.get(1), "label out of range [0, " + classes + ") at index " + r.id(),
            r.label());
      }
      records.add(ShardRecord.raw(r, name + "[" + r.id() + "]"));
    });
    return records;
  }

  private Path find(String baseName) {
    for (String candidate : List.of(baseName + ".gz", baseName)) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw DatasetFormatException.of(dir.resolve(baseName + ".gz"), "missing file",
        "neither " + baseName + ".gz nor " + baseName + " in " + dir);
  }
}
