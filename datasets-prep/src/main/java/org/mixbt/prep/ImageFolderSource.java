package org.mixbt.prep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;

/**
 * Folder trees {@code <split root>/<class>/<file>} read as torchvision's {@code ImageFolder} reads them:
 * classes are the sorted names of the train root's sub-folders, and every file below a class folder
 * (recursively) whose extension is one of torchvision's image extensions (case-insensitive) is an image of
 * that class. Ids follow ImageFolder's sample order (class, then path within the class).
 *
 * <p>Splits are sub-roots given explicitly ({@code --train DIR --val DIR}), or found in one root holding
 * {@code train/} (required) and any of {@code val/}, {@code test/}: ImageNet's train and val as commonly
 * laid out (val sorted into class folders). Other splits' class folders must be train classes; an empty
 * class folder is an error naming it. Paths may be any Hadoop file system URI.
 *
 * <p>One difference from torchvision: files and folders whose names start with "." or "_" are left out
 * (".ipynb_checkpoints", macOS "._x.jpg" forks), because Spark's file sources never read them.
 */
public final class ImageFolderSource implements EncodedImageSource {
  /** torchvision.datasets.folder.IMG_EXTENSIONS. */
  static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff",
      ".webp");
  private static final List<String> OPTIONAL_SPLITS = List.of("val", "test");

  private final String dataset;
  private final Map<String, Path> roots;
  private final Configuration conf;
  private final List<String> classes;

  /** Explicit split roots, e.g. {"train": ".../train", "val": ".../val"}; "train" is required. */
  public ImageFolderSource(String dataset, Map<String, String> splitRoots, Configuration conf) throws IOException {
    this.dataset = dataset;
    this.conf = conf;
    this.roots = new LinkedHashMap<>();
    if (!splitRoots.containsKey("train")) {
      throw new IllegalArgumentException("Cannot read image folders of " + dataset + ": no train root");
    }
    for (Map.Entry<String, String> e : splitRoots.entrySet()) {
      Path p = new Path(e.getValue());
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.isDirectory(p)) {
        throw DatasetFormatException.of(p, "missing " + e.getKey() + " folder", "no such directory");
      }
      roots.put(e.getKey(), fs.makeQualified(p));
    }
    this.classes = classFolders(roots.get("train"));
    if (classes.isEmpty()) {
      throw DatasetFormatException.of(roots.get("train"), "no class folders", "empty train root");
    }
  }

  /** A root holding {@code train/} and optionally {@code val/} and {@code test/}. */
  public static ImageFolderSource ofRoot(String dataset, String root, Configuration conf) throws IOException {
    Path r = new Path(root);
    FileSystem fs = r.getFileSystem(conf);
    Map<String, String> splits = new LinkedHashMap<>();
    splits.put("train", new Path(r, "train").toString());
    for (String s : OPTIONAL_SPLITS) {
      if (fs.isDirectory(new Path(r, s))) {
        splits.put(s, new Path(r, s).toString());
      }
    }
    return new ImageFolderSource(dataset, splits, conf);
  }

  @Override
  public String dataset() {
    return dataset;
  }

  @Override
  public List<String> classNames() {
    return classes;
  }

  @Override
  public List<String> splits() {
    return new ArrayList<>(roots.keySet());
  }

  @Override
  public SplitFiles files(String split, FileSystem ignored, Path staging) throws IOException {
    Path root = roots.get(split);
    FileSystem fs = root.getFileSystem(conf);
    List<ImageFile> files = new ArrayList<>();
    List<SourceListing.Entry> listing = new ArrayList<>();
    for (String cls : classFolders(root)) {
      int label = classes.indexOf(cls);
      if (label < 0) {
        throw DatasetFormatException.of(new Path(root, cls), "class folder not among the train classes", cls);
      }
      List<FileStatus> images = images(fs, new Path(root, cls));
      if (images.isEmpty()) {
        throw DatasetFormatException.of(new Path(root, cls), "empty class folder",
            "no file with an image extension " + EXTENSIONS);
      }
      for (FileStatus s : images) {
        String name = relative(root, s.getPath());
        files.add(new ImageFile(s.getPath().toString(), name, label));
        listing.add(new SourceListing.Entry(name, s.getLen()));
      }
    }
    // One root per class folder: with more than 32 roots Spark lists them in parallel on the executors
    // (spark.sql.sources.parallelPartitionDiscovery.threshold) instead of one by one on the driver.
    List<String> roots = new ArrayList<>();
    for (String cls : classFolders(root)) {
      roots.add(new Path(root, cls).toString());
    }
    return new SplitFiles(files, roots,
        List.of(SourceListing.describe(root.getName() + "/", listing)));
  }

  /** Sorted names of the sub-folders of {@code root} (torchvision's find_classes). */
  private List<String> classFolders(Path root) throws IOException {
    FileSystem fs = root.getFileSystem(conf);
    List<String> names = new ArrayList<>();
    for (FileStatus s : fs.listStatus(root)) {
      if (s.isDirectory() && !hidden(s.getPath().getName())) {
        names.add(s.getPath().getName());
      }
    }
    names.sort(Comparator.naturalOrder());
    return names;
  }

  /**
   * Image files below {@code dir}, sorted by path. Walks with listStatus: listFiles would also fetch every
   * file's block locations, which costs more than the listing itself (4 s for 600 local files).
   */
  private static List<FileStatus> images(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    java.util.ArrayDeque<Path> pending = new java.util.ArrayDeque<>(List.of(dir));
    while (!pending.isEmpty()) {
      for (FileStatus s : fs.listStatus(pending.pop())) {
        String lower = s.getPath().getName().toLowerCase(Locale.ROOT);
        if (hidden(lower)) {
          continue;
        }
        if (s.isDirectory()) {
          pending.push(s.getPath());
        } else if (EXTENSIONS.stream().anyMatch(lower::endsWith)) {
          out.add(s);
        }
      }
    }
    out.sort(Comparator.comparing(s -> s.getPath().toString()));
    return out;
  }

  /** Names Spark's file index skips. */
  private static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  private static String relative(Path root, Path file) {
    String r = root.toUri().getPath();
    String f = file.toUri().getPath();
    return f.substring(r.length() + (r.endsWith("/") ? 0 : 1));
  }
}
