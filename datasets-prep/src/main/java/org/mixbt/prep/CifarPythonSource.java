package org.mixbt.prep;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.pickle.NumpyArray;
import org.mixbt.core.pickle.NumpyPickles;
import org.mixbt.core.pickle.PickleValues;
import org.mixbt.core.pickle.RestrictedUnpickler;
import org.mixbt.core.shard.ShardRecord;
import org.mixbt.core.shard.ShardSchema;

/**
 * CIFAR-10 or CIFAR-100 from the publisher's python distribution (the one torchvision downloads):
 * {@code cifar-10-python.tar.gz} ({@code cifar-10-batches-py/data_batch_1..5}, {@code test_batch},
 * {@code batches.meta}) or {@code cifar-100-python.tar.gz} ({@code cifar-100-python/train}, {@code test},
 * {@code meta}), or either extracted. Each file is a pickled dict (Python 2 cPickle, protocol 2) with
 * {@code data}, a uint8 array of N × 3072 in the binary distribution's pixel order, and {@code labels}
 * (CIFAR-10) or {@code fine_labels} and {@code coarse_labels} (CIFAR-100).
 *
 * <p>Pickles are read by {@link RestrictedUnpickler} with {@link NumpyPickles#ALLOW_LIST}: nothing but numpy
 * arrays can be built, nothing is run. Records equal {@link CifarBinarySource}'s for the same dataset, id for id,
 * except their {@code source} names these files.
 */
public final class CifarPythonSource implements ImageSource {
  private static final RestrictedUnpickler UNPICKLER = new RestrictedUnpickler(NumpyPickles.ALLOW_LIST);

  private final CifarLayout layout;
  private final PublisherFiles files;
  private final PrintStream progress;
  private final List<String> classNames;
  private final List<String> coarseClassNames;

  /** Opens {@code input} and checks that every file is present before anything is converted. */
  public CifarPythonSource(Path input, String dataset, PrintStream progress) throws IOException {
    this.layout = CifarLayout.of(dataset);
    this.files = PublisherFiles.open(input, layout.pythonRoot);
    this.progress = progress;
    for (String split : splits()) {
      files.require(layout.files(split));
    }
    String metaMember = layout.hasCoarse() ? "meta" : "batches.meta";
    Map<String, Object> meta = dict(metaMember);
    String metaFile = files.describe(metaMember);
    if (layout.hasCoarse()) {
      classNames = names(meta, metaFile, "fine_label_names", layout.classes);
      coarseClassNames = names(meta, metaFile, "coarse_label_names", layout.coarseClasses);
    } else {
      classNames = names(meta, metaFile, "label_names", layout.classes);
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
    return files.sourceFiles(layout.files(split));
  }

  @Override
  public List<ShardRecord> read(String split) throws IOException {
    PrepProgress p = new PrepProgress(layout.dataset + " " + split, 0, progress, 10);
    List<ShardRecord> records = new ArrayList<>();
    for (String member : layout.files(split)) {
      String file = files.describe(member);
      Map<String, Object> batch = dict(member);
      byte[] data = pixels(batch, file);
      int n = data.length / CifarLayout.PIXELS;
      List<?> fine = labels(batch, layout.hasCoarse() ? "fine_labels" : "labels", n, file);
      List<?> coarse = layout.hasCoarse() ? labels(batch, "coarse_labels", n, file) : null;
      for (int i = 0; i < n; i++) {
        int label = CifarLayout.checkLabel(label(fine, i, file), layout.classes, "label", file, i);
        int coarseLabel = coarse == null ? ShardSchema.UNLABELED
            : CifarLayout.checkLabel(label(coarse, i, file), layout.coarseClasses, "coarse label", file, i);
        byte[] hwc = PixelLayout.planarToHwc(data, i * CifarLayout.PIXELS, CifarLayout.SIDE, CifarLayout.SIDE,
            CifarLayout.CHANNELS, false);
        records.add(ShardRecord.raw(records.size(), label, coarseLabel, hwc, CifarLayout.SIDE, CifarLayout.SIDE,
            CifarLayout.CHANNELS, member + "[" + i + "]"));
      }
      p.add(n, data.length);
    }
    p.finish();
    return records;
  }

  private Map<String, Object> dict(String member) throws IOException {
    String file = files.describe(member);
    try (InputStream in = files.open(member)) {
      return PickleValues.dict(UNPICKLER.load(in, file));
    } catch (IllegalArgumentException e) {
      throw DatasetFormatException.of(file, "not a pickled dict", e.getMessage());
    }
  }

  /** The batch's {@code data}: uint8, N × 3072. */
  private static byte[] pixels(Map<String, Object> batch, String file) {
    Object value = batch.get("data");
    if (!(value instanceof NumpyArray a)) {
      throw DatasetFormatException.of(file, "'data' is not a numpy array",
          value == null ? "missing; keys " + batch.keySet() : value.getClass().getSimpleName());
    }
    long[] shape = a.shape();
    if (!a.dtype().descr().equals("u1") || shape.length != 2 || shape[1] != CifarLayout.PIXELS) {
      throw DatasetFormatException.of(file, "'data' is not a uint8 array of N x " + CifarLayout.PIXELS,
          a.dtype() + " " + Arrays.toString(shape));
    }
    return a.data();
  }

  private static List<?> labels(Map<String, Object> batch, String key, int n, String file) {
    Object value = batch.get(key);
    if (value == null) {
      throw DatasetFormatException.of(file, "missing key '" + key + "'", "keys " + batch.keySet());
    }
    List<?> list = PickleValues.list(value);
    if (list.size() != n) {
      throw DatasetFormatException.of(file, "'" + key + "' has " + list.size() + " entries but 'data' has " + n
          + " rows", list.size());
    }
    return list;
  }

  private static int label(List<?> labels, int i, String file) {
    try {
      return Math.toIntExact(PickleValues.integer(labels.get(i)));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw DatasetFormatException.of(file, "label of record " + i + " is not a small integer", labels.get(i));
    }
  }

  private static List<String> names(Map<String, Object> meta, String file, String key, int expected) {
    Object value = meta.get(key);
    List<?> raw = value == null ? List.of() : PickleValues.list(value);
    if (raw.size() != expected) {
      throw DatasetFormatException.of(file, "expected " + expected + " names in '" + key + "', found " + raw.size(),
          value == null ? "keys " + meta.keySet() : raw);
    }
    return raw.stream().map(PickleValues::text).toList();
  }
}
