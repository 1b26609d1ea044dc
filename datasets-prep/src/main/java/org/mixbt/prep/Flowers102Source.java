package org.mixbt.prep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;

/**
 * Oxford VGG Flowers-102 as published: a folder holding {@code imagelabels.mat} (variable {@code labels}:
 * the class 1..102 of image i at position i-1), {@code setid.mat} (variables {@code trnid}, {@code valid},
 * {@code tstid}: 1-based image numbers of the official train, val and test splits) and either {@code jpg/}
 * ({@code image_00001.jpg}, …) or the {@code 102flowers.tgz} that extracts to it (then staged). Labels are
 * stored 0-based (0..101); ids follow the order of the setid vectors, as torchvision's Flowers102 reads them.
 * The publisher names no classes: class i is named by its publisher label, "1".."102".
 *
 * <p>An image number outside imagelabels.mat, a label outside 1..102, a missing image or an image in two
 * splits is an error naming the .mat file, the variable and the position.
 */
public final class Flowers102Source implements EncodedImageSource {
  private static final int CLASSES = 102;
  private static final List<String> VARIABLES = List.of("trnid", "valid", "tstid");
  private final PublisherDownload download;
  private final Configuration conf;
  private final List<String> names;
  private final int[] labels;
  private final MatVectors setid;
  private final MatVectors labelFile;
  /** The image numbers of train, val, test. */
  private final List<int[]> splitIds = new ArrayList<>();
  private ImageIndex index;

  /** {@code input}: the folder holding the two .mat files and jpg/ or 102flowers.tgz. */
  public Flowers102Source(String input, Configuration conf) throws IOException {
    this.download = new PublisherDownload(input, List.of(new PublisherDownload.Part("102flowers.tgz", "jpg",
        n -> n.startsWith("jpg/"))), false, conf);
    this.conf = conf;
    FileSystem fs = download.base().getFileSystem(conf);
    this.labelFile = new MatVectors(fs, download.base(), "imagelabels.mat");
    this.setid = new MatVectors(fs, download.base(), "setid.mat");
    this.labels = labelFile.ints("labels");
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 1 || labels[i] > CLASSES) {
        throw DatasetFormatException.of(labelFile.path(), "labels[" + i + "] is not a class 1.." + CLASSES, labels[i]);
      }
    }
    List<String> n = new ArrayList<>();
    for (int c = 1; c <= CLASSES; c++) {
      n.add(Integer.toString(c));
    }
    this.names = List.copyOf(n);
    Set<Integer> used = new HashSet<>();
    for (String variable : VARIABLES) {
      int[] ids = setid.ints(variable);
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] < 1 || ids[i] > labels.length) {
          throw DatasetFormatException.of(setid.path(), variable + "[" + i + "] is not an image number 1.."
              + labels.length + " of imagelabels.mat", ids[i]);
        }
        if (!used.add(ids[i])) {
          throw DatasetFormatException.of(setid.path(), variable + "[" + i + "] names an image already in a split",
              ids[i]);
        }
      }
      splitIds.add(ids);
    }
    if (download.extracted()) {
      index = new ImageIndex(fs, download.root(0), "jpg");
    }
  }

  @Override
  public String dataset() {
    return "flowers102";
  }

  @Override
  public List<String> classNames() {
    return names;
  }

  @Override
  public List<String> splits() {
    return List.of("train", "val", "test");
  }

  @Override
  public SplitFiles files(String split, FileSystem staged, Path staging) throws IOException {
    int s = splits().indexOf(split);
    if (s < 0) {
      throw new IllegalArgumentException("Cannot read Flowers-102: unknown split: " + split);
    }
    if (index == null) {
      Path root = download.root(0, staged, staging);
      index = new ImageIndex(root.getFileSystem(conf), root, "jpg");
    }
    String variable = VARIABLES.get(s);
    int[] ids = splitIds.get(s);
    List<ImageFile> files = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      String name = String.format("jpg/image_%05d.jpg", ids[i]);
      if (!index.contains(name)) {
        throw DatasetFormatException.of(setid.path(), variable + "[" + i + "] names a missing image", name);
      }
      files.add(index.file(name, labels[ids[i] - 1] - 1));
    }
    ShardManifest.SourceFile data = download.archive(0) != null ? download.archive(0) : index.describe("jpg/", files);
    return new SplitFiles(files, List.of(index.folder()), List.of(data, labelFile.description(), setid.description()));
  }
}
