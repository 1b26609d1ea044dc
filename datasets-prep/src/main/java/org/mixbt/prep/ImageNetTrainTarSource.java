package org.mixbt.prep;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;

/**
 * ImageNet's official train archive {@code ILSVRC2012_img_train.tar}: a tar of per-class tars
 * {@code n01440764.tar}, … each holding that class's JPEGs. Split "train" only (the validation images come
 * as a flat tar with a separate label file; sort them into class folders and use {@link ImageFolderSource}).
 *
 * <p>The archive is streamed once on the driver, never extracted next to the input: each image is copied
 * from the nested tar stream into the staging folder of the temporary output (bounded memory, and the
 * executors then read the staged files in parallel like any folder tree); the staging folder is deleted
 * before the commit. Classes are the sorted class tar names (wnids), as torchvision's ImageNet orders them;
 * ids follow (class, file name). A member that is not a {@code .tar}, a path that escapes
 * ({@code ../}), an empty class tar or a truncated archive is an error naming the archive and member.
 */
public final class ImageNetTrainTarSource implements EncodedImageSource {
  private final Path archive;
  private final Configuration conf;
  private List<String> classes;

  public ImageNetTrainTarSource(String archive, Configuration conf) throws IOException {
    Path p = new Path(archive);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.isFile(p)) {
      throw DatasetFormatException.of(p, "missing archive", "no such file");
    }
    this.archive = fs.makeQualified(p);
    this.conf = conf;
  }

  @Override
  public String dataset() {
    return "imagenet";
  }

  /** Known after {@link #files} has streamed the archive (the class list is the archive's content). */
  @Override
  public List<String> classNames() {
    if (classes == null) {
      throw new IllegalStateException("Cannot name ImageNet classes before the archive is read: " + archive);
    }
    return classes;
  }

  @Override
  public List<String> splits() {
    return List.of("train");
  }

  @Override
  public SplitFiles files(String split, FileSystem staged, Path staging) throws IOException {
    if (!split.equals("train")) {
      throw new IllegalArgumentException("Cannot read " + archive + ": unknown split: " + split);
    }
    record Member(String wnid, String name, Path file) {}
    List<Member> members = new ArrayList<>();
    List<String> wnids = new ArrayList<>();
    MessageDigest sha = ArchiveEntries.sha256();
    long size = 0;
    FileSystem fs = archive.getFileSystem(conf);
    try (DigestInputStream raw = ArchiveEntries.digesting(fs.open(archive), sha);
         TarArchiveInputStream outer = new TarArchiveInputStream(raw)) {
      for (TarArchiveEntry e; (e = outer.getNextTarEntry()) != null; ) {
        List<String> path = ArchiveEntries.segments(e.getName(), archive);
        if (e.isDirectory()) {
          continue;
        }
        String tarName = path.get(path.size() - 1);
        if (path.size() != 1 || !tarName.endsWith(".tar")) {
          throw DatasetFormatException.of(archive, "member is not a per-class .tar", e.getName());
        }
        String wnid = tarName.substring(0, tarName.length() - 4);
        if (wnids.contains(wnid)) {
          throw DatasetFormatException.of(archive, "class archive appears twice", e.getName());
        }
        wnids.add(wnid);
        int before = members.size();
        // The inner tar is read from the outer stream, which ends at the member's end; never closed here.
        TarArchiveInputStream inner = new TarArchiveInputStream(outer);
        for (TarArchiveEntry i; (i = inner.getNextTarEntry()) != null; ) {
          List<String> innerPath = ArchiveEntries.segments(i.getName(), archive + "!" + e.getName());
          if (i.isDirectory()) {
            continue;
          }
          String name = wnid + "/" + String.join("/", innerPath);
          Path target = new Path(staging, name);
          ArchiveEntries.stage(inner, staged, target);
          members.add(new Member(wnid, name, staged.makeQualified(target)));
        }
        if (members.size() == before) {
          throw DatasetFormatException.of(archive, "empty class archive", e.getName());
        }
      }
      // The rest (tar end blocks, padding) still goes through the digest: the sha256 is the whole file's.
      raw.transferTo(java.io.OutputStream.nullOutputStream());
      size = fs.getFileStatus(archive).getLen();
    } catch (IOException e) {
      throw new DatasetFormatException("Cannot read " + archive + ": unreadable tar: " + e.getMessage(), e);
    }
    if (wnids.isEmpty()) {
      throw DatasetFormatException.of(archive, "no class archives", "empty tar");
    }
    List<String> sorted = new ArrayList<>(wnids);
    sorted.sort(Comparator.naturalOrder());
    classes = List.copyOf(sorted);
    Map<String, Integer> label = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      label.put(classes.get(i), i);
    }
    members.sort(Comparator.comparing((Member m) -> label.get(m.wnid())).thenComparing(Member::name));
    List<ImageFile> files = new ArrayList<>();
    for (Member m : members) {
      files.add(new ImageFile(m.file().toString(), m.name(), label.get(m.wnid())));
    }
    return new SplitFiles(files, List.of(staged.makeQualified(staging).toString()),
        List.of(new ShardManifest.SourceFile(archive.getName(), size, HexFormat.of().formatHex(sha.digest()))));
  }
}
