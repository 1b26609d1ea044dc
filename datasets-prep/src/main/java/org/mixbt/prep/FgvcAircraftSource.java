package org.mixbt.prep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;

/**
 * FGVC-Aircraft 2013b as published: {@code fgvc-aircraft-2013b.tar.gz} or the folder it extracts to
 * ({@code fgvc-aircraft-2013b/data/}). Images {@code images/<id>.jpg}; the official splits
 * {@code images_<level>_{train,val,test}.txt} (and {@code trainval} when asked), lines
 * "{@code <id> <class name, may hold spaces>}"; classes in the order of {@code variants.txt}, {@code families.txt} or {@code manufacturers.txt}, as torchvision's
 * FGVCAircraft orders them. The level is variant (100 classes, the paper's default), family (70) or
 * manufacturer (30). The copyright banner at the bottom of each image is kept (torchvision keeps it too).
 *
 * <p>A split line naming an unknown class or a missing image, a malformed line, or an image listed twice is
 * an error naming the file and line.
 */
public final class FgvcAircraftSource implements EncodedImageSource {
  /** The annotation levels the publisher labels images with. */
  public enum Level {
    VARIANT("variants.txt"), FAMILY("families.txt"), MANUFACTURER("manufacturers.txt");

    /** The publisher's class list of this level. */
    final String classFile;

    Level(String classFile) {
      this.classFile = classFile;
    }
  }

  private static final String DATA = "fgvc-aircraft-2013b/data/";
  private final PublisherDownload download;
  private final String level;
  private final String classList;
  private final boolean trainVal;
  private final Configuration conf;
  private List<String> classes;
  private ShardManifest.SourceFile classFile;
  private ImageIndex index;

  public FgvcAircraftSource(String input, Level level, boolean trainVal, Configuration conf) throws IOException {
    this.download = new PublisherDownload(input, List.of(new PublisherDownload.Part("fgvc-aircraft-2013b.tar.gz",
        DATA + "images", n -> n.startsWith(DATA))), true, conf);
    this.level = level.name().toLowerCase(Locale.ROOT);
    this.classList = level.classFile;
    this.trainVal = trainVal;
    this.conf = conf;
    if (download.extracted()) {
      load(download.root(0));
    }
  }

  @Override
  public String dataset() {
    return "fgvc-aircraft-" + level;
  }

  @Override
  public List<String> classNames() {
    if (classes == null) {
      throw new IllegalStateException("Cannot name FGVC-Aircraft classes before the archive is read: " + download.input());
    }
    return classes;
  }

  @Override
  public List<String> splits() {
    return trainVal ? List.of("train", "val", "test", "trainval") : List.of("train", "val", "test");
  }

  @Override
  public SplitFiles files(String split, FileSystem staged, Path staging) throws IOException {
    if (!splits().contains(split)) {
      throw new IllegalArgumentException("Cannot read FGVC-Aircraft: unknown split: " + split);
    }
    if (classes == null) {
      load(download.root(0, staged, staging));
    }
    Path root = download.root(0);
    AnnotationFile list = AnnotationFile.read(root.getFileSystem(conf), root, DATA + "images_" + level + "_" + split + ".txt");
    Map<String, Integer> label = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      label.put(classes.get(i), i);
    }
    SplitCollector images = new SplitCollector();
    for (AnnotationFile.Line line : list.lines()) {
      String[] f = list.fields(line, " ", 2, "<image id> <" + level + ">");
      Integer l = label.get(f[1]);
      if (l == null) {
        throw list.error(line, "unknown " + level + " (not in " + classList + ")", f[1]);
      }
      images.add(index.file(DATA + "images/" + f[0] + ".jpg", l, list, line), list, line);
    }
    List<ImageFile> files = images.files();
    ShardManifest.SourceFile data = download.archive(0) != null ? download.archive(0)
        : index.describe(DATA + "images/", files);
    return new SplitFiles(files, List.of(index.folder()), List.of(data, classFile, list.description()));
  }

  private void load(Path root) throws IOException {
    FileSystem fs = root.getFileSystem(conf);
    AnnotationFile names = AnnotationFile.read(fs, root, DATA + classList);
    List<String> c = new ArrayList<>();
    for (AnnotationFile.Line line : names.lines()) {
      if (c.contains(line.text())) {
        throw names.error(line, "class listed twice", line.text());
      }
      c.add(line.text());
    }
    if (c.isEmpty()) {
      throw DatasetFormatException.of(new Path(root, DATA + classList), "no classes", "empty file");
    }
    index = new ImageIndex(fs, root, DATA + "images");
    classFile = names.description();
    classes = List.copyOf(c);
  }
}
