package org.mixbt.prep;

import java.util.List;
import java.util.Map;

/**
 * Where CIFAR-10 and CIFAR-100 keep their splits in the publisher's two distributions (binary and python) and
 * how many classes they have. Splits list their files in publisher order: ids count across them in that order.
 */
enum CifarLayout {
  CIFAR_10("cifar-10", 10, 0, "cifar-10-batches-bin", "cifar-10-batches-py",
      Map.of("train", List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5"),
          "test", List.of("test_batch"))),
  CIFAR_100("cifar-100", 100, 20, "cifar-100-binary", "cifar-100-python",
      Map.of("train", List.of("train"), "test", List.of("test")));

  static final int SIDE = 32;
  static final int CHANNELS = 3;
  static final int PIXELS = SIDE * SIDE * CHANNELS;

  final String dataset;
  final int classes;
  /** Number of coarse classes, 0 when the dataset has none. */
  final int coarseClasses;
  final String binaryRoot;
  final String pythonRoot;
  private final Map<String, List<String>> files;

  CifarLayout(String dataset, int classes, int coarseClasses, String binaryRoot, String pythonRoot,
      Map<String, List<String>> files) {
    this.dataset = dataset;
    this.classes = classes;
    this.coarseClasses = coarseClasses;
    this.binaryRoot = binaryRoot;
    this.pythonRoot = pythonRoot;
    this.files = files;
  }

  static CifarLayout of(String dataset) {
    for (CifarLayout l : values()) {
      if (l.dataset.equals(dataset)) {
        return l;
      }
    }
    throw new IllegalArgumentException("Cannot read CIFAR: unknown dataset: " + dataset + " (known: cifar-10, cifar-100)");
  }

  static final List<String> SPLITS = List.of("train", "test");

  /** The split's files without extension (the python names; the binary ones add ".bin"), in publisher order. */
  List<String> files(String split) {
    List<String> f = files.get(split);
    if (f == null) {
      throw new IllegalArgumentException("Cannot read " + dataset + ": unknown split: " + split + " (known: " + SPLITS + ")");
    }
    return f;
  }

  boolean hasCoarse() {
    return coarseClasses > 0;
  }

  /** Checks a label read from {@code file} at {@code record} against [0, bound). */
  static int checkLabel(int value, int bound, String what, String file, long record) {
    if (value < 0 || value >= bound) {
      throw org.mixbt.core.data.DatasetFormatException.of(file, what + " out of range [0, " + bound + ") at record "
          + record, value);
    }
    return value;
  }
}
