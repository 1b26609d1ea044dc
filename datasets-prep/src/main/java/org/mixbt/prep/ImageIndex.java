package org.mixbt.prep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;

/**
 * The files below a publisher's image folder, listed once (one recursive listing instead of a stat per
 * split-file line, which matters on HDFS), by path relative to the dataset root. Split files are resolved
 * against it: a line naming a file that is not there is an error naming the split file and line.
 */
final class ImageIndex {
  private final Path root;
  private final Path folder;
  private final Map<String, LocatedFileStatus> files = new HashMap<>();

  /** Lists {@code root/folder} recursively; a missing folder is an error naming it. */
  ImageIndex(FileSystem fs, Path root, String folder) throws IOException {
    this.root = fs.makeQualified(root);
    this.folder = new Path(this.root, folder);
    if (!fs.isDirectory(this.folder)) {
      throw DatasetFormatException.of(this.folder, "missing image folder", "no such directory");
    }
    String prefix = this.root.toUri().getPath();
    prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(this.folder, true);
    while (it.hasNext()) {
      LocatedFileStatus s = it.next();
      files.put(s.getPath().toUri().getPath().substring(prefix.length()), s);
    }
  }

  /** The folder Spark reads (recursively) for this split. */
  String folder() {
    return folder.toString();
  }

  boolean contains(String relative) {
    return files.containsKey(relative);
  }

  /** The image {@code relative} (to the dataset root) named by {@code line} of {@code list}, labelled {@code label}. */
  EncodedImageSource.ImageFile file(String relative, int label, AnnotationFile list, AnnotationFile.Line line) {
    LocatedFileStatus s = files.get(relative);
    if (s == null || !s.isFile()) {
      throw list.error(line, "missing image", relative);
    }
    return new EncodedImageSource.ImageFile(s.getPath().toString(), relative, label);
  }

  /** A listed image (checked with {@link #contains} by the caller), labelled {@code label}. */
  EncodedImageSource.ImageFile file(String relative, int label) {
    return new EncodedImageSource.ImageFile(files.get(relative).getPath().toString(), relative, label);
  }

  /** The manifest's description of the listed images of a split: names and sizes (see {@link SourceListing}). */
  ShardManifest.SourceFile describe(String name, List<EncodedImageSource.ImageFile> images) {
    List<SourceListing.Entry> entries = new ArrayList<>();
    for (EncodedImageSource.ImageFile f : images) {
      entries.add(new SourceListing.Entry(f.name(), files.get(f.name()).getLen()));
    }
    return SourceListing.describe(name, entries);
  }
}
