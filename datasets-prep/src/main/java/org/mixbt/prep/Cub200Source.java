package org.mixbt.prep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;

/**
 * Caltech-UCSD Birds-200-2011 as published: {@code CUB_200_2011.tgz} or the folder it extracts to
 * ({@code CUB_200_2011/}). Images from {@code images.txt} ("id path", path relative to {@code images/}),
 * labels from {@code image_class_labels.txt} ("id class", 1-based, stored 0-based), the official split from
 * {@code train_test_split.txt} ("id 1" train, "id 0" test), class names from {@code classes.txt} ("id name",
 * ids 1..200 in order; names kept verbatim, e.g. "001.Black_footed_Albatross"). Ids follow images.txt.
 *
 * <p>Every image id must have exactly one label and one split line; an unknown image or class id, a
 * malformed or duplicated line, a missing image, or an image whose folder is not its class's is an error
 * naming the file and line.
 */
public final class Cub200Source implements EncodedImageSource {
  private static final String TOP = "CUB_200_2011/";
  private final PublisherDownload download;
  private final Configuration conf;
  private List<String> classes;
  /** Per split: the images in images.txt order. */
  private Map<String, List<ImageFile>> splitFiles;
  private List<ShardManifest.SourceFile> annotations;
  private ImageIndex index;

  /** {@code input}: the archive, or the folder holding (or being) {@code CUB_200_2011/}. */
  public Cub200Source(String input, Configuration conf) throws IOException {
    this.download = new PublisherDownload(input, List.of(new PublisherDownload.Part("CUB_200_2011.tgz",
        TOP + "images.txt", n -> n.startsWith(TOP) && !n.startsWith(TOP + "parts/")
            && !n.startsWith(TOP + "attributes/"))), true, conf);
    this.conf = conf;
    if (download.extracted()) {
      load(download.root(0));
    }
  }

  @Override
  public String dataset() {
    return "cub200";
  }

  @Override
  public List<String> classNames() {
    if (classes == null) {
      throw new IllegalStateException("Cannot name CUB classes before the archive is read: " + download.input());
    }
    return classes;
  }

  @Override
  public List<String> splits() {
    return List.of("train", "test");
  }

  @Override
  public SplitFiles files(String split, FileSystem staged, Path staging) throws IOException {
    if (!splits().contains(split)) {
      throw new IllegalArgumentException("Cannot read CUB-200-2011: unknown split: " + split);
    }
    if (classes == null) {
      load(download.root(0, staged, staging));
    }
    List<ImageFile> files = splitFiles.get(split);
    List<ShardManifest.SourceFile> sources = new ArrayList<>();
    sources.add(download.archive(0) != null ? download.archive(0) : index.describe(TOP + "images/", files));
    sources.addAll(annotations);
    return new SplitFiles(files, List.of(index.folder()), sources);
  }

  private void load(Path root) throws IOException {
    FileSystem fs = root.getFileSystem(conf);
    AnnotationFile classList = AnnotationFile.read(fs, root, TOP + "classes.txt");
    AnnotationFile images = AnnotationFile.read(fs, root, TOP + "images.txt");
    AnnotationFile labels = AnnotationFile.read(fs, root, TOP + "image_class_labels.txt");
    AnnotationFile split = AnnotationFile.read(fs, root, TOP + "train_test_split.txt");
    List<String> names = new ArrayList<>();
    for (AnnotationFile.Line line : classList.lines()) {
      String[] f = classList.fields(line, " ", 2, "<class id> <name>");
      if (!f[0].equals(Integer.toString(names.size() + 1))) {
        throw classList.error(line, "class ids must run 1, 2, … in order; expected " + (names.size() + 1), f[0]);
      }
      names.add(f[1].strip());
    }
    if (names.isEmpty()) {
      throw DatasetFormatException.of(new Path(root, TOP + "classes.txt"), "no classes", "empty file");
    }
    Map<String, Integer> label = idValues(labels, images, "<image id> <class id>");
    Map<String, Integer> isTrain = idValues(split, images, "<image id> <1 train | 0 test>");
    index = new ImageIndex(fs, root, TOP + "images");
    SplitCollector train = new SplitCollector();
    SplitCollector test = new SplitCollector();
    Map<String, AnnotationFile.Line> seen = new HashMap<>();
    for (AnnotationFile.Line line : images.lines()) {
      String[] f = images.fields(line, " ", 2, "<image id> <class folder>/<file>");
      if (seen.put(f[0], line) != null) {
        throw images.error(line, "image id listed twice", f[0]);
      }
      Integer l = label.get(f[0]);
      Integer t = isTrain.get(f[0]);
      if (l == null || t == null) {
        throw images.error(line, "image id without a line in " + (l == null ? labels.name() : split.name()), f[0]);
      }
      if (l < 1 || l > names.size()) {
        throw labels.error(labels.lines().get(indexOf(labels, f[0])), "unknown class id (classes.txt has 1.."
            + names.size() + ")", l);
      }
      if (!f[1].startsWith(names.get(l - 1) + "/")) {
        throw images.error(line, "image folder is not its class " + names.get(l - 1) + " (image_class_labels.txt)", f[1]);
      }
      ImageFile file = index.file(TOP + "images/" + f[1], l - 1, images, line);
      (t == 1 ? train : test).add(file, images, line);
    }
    for (Map.Entry<String, Integer> e : label.entrySet()) {
      if (!seen.containsKey(e.getKey())) {
        throw labels.error(labels.lines().get(indexOf(labels, e.getKey())), "unknown image id (not in images.txt)",
            e.getKey());
      }
    }
    splitFiles = new LinkedHashMap<>(Map.of("train", train.files(), "test", test.files()));
    annotations = List.of(classList.description(), images.description(), labels.description(), split.description());
    classes = List.copyOf(names);
  }

  /** "image-id integer" lines as a map; a malformed, non-integer or repeated line is an error. */
  private static Map<String, Integer> idValues(AnnotationFile file, AnnotationFile images, String expected) {
    Map<String, Integer> out = new HashMap<>();
    boolean split = file.name().endsWith("train_test_split.txt");
    for (AnnotationFile.Line line : file.lines()) {
      String[] f = file.fields(line, " ", 2, expected);
      int v;
      try {
        v = Integer.parseInt(f[1].strip());
      } catch (NumberFormatException e) {
        throw file.error(line, "malformed line, expected " + expected, line.text());
      }
      if (split && v != 0 && v != 1) {
        throw file.error(line, "split flag must be 1 (train) or 0 (test)", v);
      }
      if (out.put(f[0], v) != null) {
        throw file.error(line, "image id listed twice", f[0]);
      }
    }
    return out;
  }

  private static int indexOf(AnnotationFile file, String id) {
    for (int i = 0; i < file.lines().size(); i++) {
      if (file.lines().get(i).text().startsWith(id + " ")) {
        return i;
      }
    }
    throw new IllegalStateException("no line for " + id);
  }
}
