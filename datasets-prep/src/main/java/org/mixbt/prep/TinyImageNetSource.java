package org.mixbt.prep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;

/**
 * Tiny-ImageNet as published: {@code tiny-imagenet-200.zip}, or the folder it extracts to
 * ({@code tiny-imagenet-200/}). Train images from {@code train/<wnid>/images/*.JPEG}, val images from
 * {@code val/images/} labelled by {@code val/val_annotations.txt} (tab-separated: file, wnid, bounding box),
 * class order from {@code wnids.txt}, class names from {@code words.txt}. Stored as raw 64×64×3 pixels (small
 * images decode faster from raw than from JPEG at training time); the unlabelled test split is not written.
 * No reorganisation step: the zip's images are streamed into the temporary output's staging folder.
 *
 * <p>A val annotation naming an unknown wnid or a missing image, a train class folder without images, or a
 * wnid without a name in words.txt is an error naming the file and line.
 */
public final class TinyImageNetSource implements EncodedImageSource {
  private static final String ZIP_ROOT = "tiny-imagenet-200/";
  private final Path input;
  private final boolean zip;
  private final Configuration conf;
  private List<String> wnids;
  private List<String> names;
  /** Staged or extracted root holding train/ and val/; set by the first {@link #files} call. */
  private Path root;
  private ShardManifest.SourceFile zipFile;

  public TinyImageNetSource(String input, Configuration conf) throws IOException {
    Path p = new Path(input);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      throw DatasetFormatException.of(p, "missing input", "no such file or directory");
    }
    this.input = fs.makeQualified(p);
    this.zip = fs.isFile(p);
    this.conf = conf;
    if (!zip) {
      Path dir = fs.exists(new Path(p, "wnids.txt")) ? this.input : new Path(this.input, ZIP_ROOT);
      root = dir;
      readClasses(text(fs, new Path(dir, "wnids.txt")), text(fs, new Path(dir, "words.txt")), dir);
    }
  }

  @Override
  public String dataset() {
    return "tiny-imagenet";
  }

  @Override
  public List<String> classNames() {
    if (names == null) {
      throw new IllegalStateException("Cannot name Tiny-ImageNet classes before the zip is read: " + input);
    }
    return names;
  }

  @Override
  public List<String> splits() {
    return List.of("train", "val");
  }

  @Override
  public boolean storeRaw() {
    return true;
  }

  @Override
  public SplitFiles files(String split, FileSystem staged, Path staging) throws IOException {
    if (zip && zipFile == null) {
      // One pass over the zip stages every image; the val split then reads from the same staged tree.
      root = new Path(staging.getParent(), "tiny-imagenet-200");
      unzip(staged, root);
    }
    FileSystem fs = root.getFileSystem(conf);
    List<ImageFile> files = switch (split) {
      case "train" -> trainFiles(fs);
      case "val" -> valFiles(fs);
      default -> throw new IllegalArgumentException("Cannot read " + input + ": unknown split: " + split);
    };
    List<SourceListing.Entry> listing = new ArrayList<>();
    for (ImageFile f : files) {
      listing.add(new SourceListing.Entry(f.name(), 0));
    }
    ShardManifest.SourceFile source = zip ? zipFile : SourceListing.describe(root.getName() + "/" + split + "/", listing);
    return new SplitFiles(files, List.of(new Path(root, split).toString()), List.of(source));
  }

  private List<ImageFile> trainFiles(FileSystem fs) throws IOException {
    List<ImageFile> files = new ArrayList<>();
    for (int label = 0; label < wnids.size(); label++) {
      Path images = new Path(new Path(new Path(root, "train"), wnids.get(label)), "images");
      List<FileStatus> list = fs.exists(images) ? List.of(fs.listStatus(images, p -> p.getName().endsWith(".JPEG")))
          : List.of();
      if (list.isEmpty()) {
        throw DatasetFormatException.of(images, "empty class folder", "no .JPEG images for " + wnids.get(label));
      }
      List<FileStatus> sorted = new ArrayList<>(list);
      sorted.sort(Comparator.comparing(s -> s.getPath().getName()));
      for (FileStatus s : sorted) {
        files.add(new ImageFile(fs.makeQualified(s.getPath()).toString(),
            "train/" + wnids.get(label) + "/images/" + s.getPath().getName(), label));
      }
    }
    return files;
  }

  private List<ImageFile> valFiles(FileSystem fs) throws IOException {
    Path annotations = new Path(new Path(root, "val"), "val_annotations.txt");
    Path images = new Path(new Path(root, "val"), "images");
    Map<String, Integer> label = new HashMap<>();
    for (int i = 0; i < wnids.size(); i++) {
      label.put(wnids.get(i), i);
    }
    List<ImageFile> files = new ArrayList<>();
    String[] lines = text(fs, annotations).split("\n");
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\t");
      String where = annotations.getName() + " line " + (n + 1);
      if (fields.length < 2) {
        throw DatasetFormatException.of(annotations, "line " + (n + 1) + ": expected file<TAB>wnid<TAB>box", line);
      }
      Integer l = label.get(fields[1]);
      if (l == null) {
        throw DatasetFormatException.of(annotations, "line " + (n + 1) + ": unknown wnid (not in wnids.txt)", fields[1]);
      }
      Path image = new Path(images, fields[0]);
      if (!fs.isFile(image)) {
        throw DatasetFormatException.of(annotations, "line " + (n + 1) + ": missing image val/images/" + fields[0],
            where);
      }
      files.add(new ImageFile(fs.makeQualified(image).toString(), "val/images/" + fields[0], l));
    }
    files.sort(Comparator.comparing(ImageFile::name));
    return files;
  }

  private void readClasses(String wnidsText, String wordsText, Object where) {
    List<String> ids = new ArrayList<>();
    for (String l : wnidsText.split("\n")) {
      if (!l.isBlank()) {
        ids.add(l.strip());
      }
    }
    if (ids.isEmpty()) {
      throw DatasetFormatException.of(where + "/wnids.txt", "no wnids", "empty file");
    }
    Map<String, String> words = new HashMap<>();
    for (String l : wordsText.split("\n")) {
      String[] f = l.split("\t", 2);
      if (f.length == 2) {
        words.put(f[0].strip(), f[1].strip());
      }
    }
    List<String> n = new ArrayList<>();
    for (String id : ids) {
      String w = words.get(id);
      if (w == null) {
        throw DatasetFormatException.of(where + "/words.txt", "no name for wnid of wnids.txt", id);
      }
      n.add(w);
    }
    wnids = List.copyOf(ids);
    names = List.copyOf(n);
  }

  /** Streams the zip once: images to {@code target}, text files kept; the zip's sha256 computed on the way. */
  private void unzip(FileSystem staged, Path target) throws IOException {
    FileSystem fs = input.getFileSystem(conf);
    MessageDigest sha = ArchiveEntries.sha256();
    String wnidsText = null;
    String wordsText = null;
    String annotations = null;
    try (DigestInputStream raw = ArchiveEntries.digesting(fs.open(input), sha);
         ZipInputStream in = new ZipInputStream(raw)) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        List<String> path = ArchiveEntries.segments(e.getName(), input);
        if (e.isDirectory()) {
          continue;
        }
        String name = String.join("/", path);
        String inner = name.startsWith(ZIP_ROOT) ? name.substring(ZIP_ROOT.length()) : name;
        if (inner.equals("wnids.txt")) {
          wnidsText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } else if (inner.equals("words.txt")) {
          wordsText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } else if (inner.equals("val/val_annotations.txt") || inner.startsWith("train/") && inner.endsWith(".JPEG")
            || inner.startsWith("val/images/")) {
          ArchiveEntries.stage(in, staged, new Path(target, inner));
        }
      }
      raw.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new DatasetFormatException("Cannot read " + input + ": unreadable zip: " + e.getMessage(), e);
    }
    if (wnidsText == null || wordsText == null) {
      throw DatasetFormatException.of(input, "missing member", wnidsText == null ? ZIP_ROOT + "wnids.txt" : ZIP_ROOT + "words.txt");
    }
    readClasses(wnidsText, wordsText, input + "!" + ZIP_ROOT);
    zipFile = new ShardManifest.SourceFile(input.getName(), fs.getFileStatus(input).getLen(),
        HexFormat.of().formatHex(sha.digest()));
  }

  private static String text(FileSystem fs, Path file) throws IOException {
    if (!fs.isFile(file)) {
      throw DatasetFormatException.of(file, "missing file", "no such file");
    }
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
