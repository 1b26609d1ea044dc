package org.mixbt.prep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;

/**
 * The Describable Textures Dataset as published: {@code dtd-r1.0.1.tar.gz} or the folder it extracts to
 * ({@code dtd/images/<class>/<file>.jpg}, {@code dtd/labels/{train,val,test}<fold>.txt}, folds 1..10, one
 * image path relative to {@code images/} per line). Classes are the sorted names of the 47 folders of
 * {@code images/} (torchvision's DTD order); splits are the official train, val and test lists of one fold,
 * ids in list order. With {@code trainVal}, a fourth split "trainval" (train then val of the fold: the
 * publisher ships no such list) is written for the usual fit-on-train+val protocol.
 *
 * <p>A list line naming an unknown class folder or a missing image, a malformed line, or an image listed
 * twice is an error naming the list file and line.
 */
public final class DtdSource implements EncodedImageSource {
  private static final String TOP = "dtd/";
  private final PublisherDownload download;
  private final int fold;
  private final boolean trainVal;
  private final Configuration conf;
  private List<String> classes;
  private ImageIndex index;

  /** {@code input}: the archive or the folder holding (or being) {@code dtd/}; {@code fold} in 1..10. */
  public DtdSource(String input, int fold, boolean trainVal, Configuration conf) throws IOException {
    if (fold < 1 || fold > 10) {
      throw new IllegalArgumentException("Cannot read DTD: fold must be in 1..10: " + fold);
    }
    this.download = new PublisherDownload(input, List.of(new PublisherDownload.Part("dtd-r1.0.1.tar.gz",
        TOP + "labels", n -> n.startsWith(TOP + "images/") || n.startsWith(TOP + "labels/"))), true, conf);
    this.fold = fold;
    this.trainVal = trainVal;
    this.conf = conf;
    if (download.extracted()) {
      load(download.root(0));
    }
  }

  @Override
  public String dataset() {
    return "dtd";
  }

  @Override
  public List<String> classNames() {
    if (classes == null) {
      throw new IllegalStateException("Cannot name DTD classes before the archive is read: " + download.input());
    }
    return classes;
  }

  @Override
  public List<String> splits() {
    return trainVal ? List.of("train", "val", "test", "trainval") : List.of("train", "val", "test");
  }

  @Override
  public SplitFiles files(String split, FileSystem staged, Path staging) throws IOException {
    if (classes == null) {
      load(download.root(0, staged, staging));
    }
    if (!splits().contains(split)) {
      throw new IllegalArgumentException("Cannot read DTD: unknown split: " + split);
    }
    Path root = download.root(0);
    FileSystem fs = root.getFileSystem(conf);
    List<String> lists = split.equals("trainval") ? List.of("train", "val") : List.of(split);
    SplitCollector images = new SplitCollector();
    List<ShardManifest.SourceFile> sources = new ArrayList<>();
    for (String l : lists) {
      AnnotationFile list = AnnotationFile.read(fs, root, TOP + "labels/" + l + fold + ".txt");
      sources.add(list.description());
      for (AnnotationFile.Line line : list.lines()) {
        images.add(image(list, line), list, line);
      }
    }
    List<ImageFile> files = images.files();
    ShardManifest.SourceFile data = download.archive(0) != null ? download.archive(0)
        : index.describe(TOP + "images/", files);
    sources.add(0, data);
    return new SplitFiles(files, List.of(index.folder()), sources);
  }

  /** A line "class/class_0001.jpg". */
  private ImageFile image(AnnotationFile list, AnnotationFile.Line line) {
    String[] parts = line.text().split("/");
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty() || line.text().contains(" ")) {
      throw list.error(line, "malformed line, expected <class>/<file>.jpg", line.text());
    }
    int label = classes.indexOf(parts[0]);
    if (label < 0) {
      throw list.error(line, "unknown class (no folder in " + TOP + "images/)", parts[0]);
    }
    return index.file(TOP + "images/" + line.text(), label, list, line);
  }

  private void load(Path root) throws IOException {
    FileSystem fs = root.getFileSystem(conf);
    Path images = new Path(root, TOP + "images");
    index = new ImageIndex(fs, root, TOP + "images");
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(images)) {
      if (s.isDirectory()) {
        names.add(s.getPath().getName());
      }
    }
    if (names.isEmpty()) {
      throw DatasetFormatException.of(images, "no class folders", "empty folder");
    }
    names.sort(Comparator.naturalOrder());
    classes = List.copyOf(names);
  }
}
