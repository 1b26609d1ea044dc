package org.mixbt.prep;

import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;

/**
 * Where a publisher's dataset is read from. The input is either a folder holding what the publisher's
 * archives extract to (or the archives themselves, which are then staged), or, for a dataset published as
 * one archive, that archive file. Staged archives are streamed once into the temporary output's staging
 * area (deleted by the writer), never extracted next to the input.
 *
 * <p>Each {@link Part} is one publisher archive; its {@code extracted} path (relative to the folder it
 * extracts into) shows that it has been extracted. A folder input may also be the archive's own top folder
 * (e.g. {@code .../dtd} instead of {@code .../} for {@code dtd/labels}).
 */
final class PublisherDownload {
  /** One archive: its file name, a path it extracts (proof of extraction), and the members worth staging. */
  record Part(String archive, String extracted, Predicate<String> keep) {}

  private final Path input;
  private final boolean archiveInput;
  private final Path base;
  private final List<Part> parts;
  private final Configuration conf;
  private final Path[] roots;
  private final ShardManifest.SourceFile[] archives;

  /** {@code alone}: the first part's archive holds the whole dataset, so it may be given as the input. */
  PublisherDownload(String input, List<Part> parts, boolean alone, Configuration conf) throws IOException {
    Path p = new Path(input);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      throw DatasetFormatException.of(p, "missing input", "no such file or directory");
    }
    this.input = fs.makeQualified(p);
    this.parts = parts;
    this.conf = conf;
    this.roots = new Path[parts.size()];
    this.archives = new ShardManifest.SourceFile[parts.size()];
    this.archiveInput = fs.isFile(p);
    if (archiveInput && !alone) {
      throw DatasetFormatException.of(p, "expected the folder holding the publisher's files", "a file");
    }
    this.base = archiveInput ? null : baseFolder(fs, this.input, parts.get(0).extracted());
    for (int i = 0; i < parts.size() && !archiveInput; i++) {
      Part part = parts.get(i);
      if (fs.exists(new Path(base, part.extracted()))) {
        roots[i] = base;
      } else if (!fs.isFile(new Path(base, part.archive()))) {
        throw DatasetFormatException.of(base, "missing " + part.extracted() + " (or its archive " + part.archive() + ")",
            "neither exists");
      }
    }
  }

  /** {@code dir}, or its parent when {@code dir} is the top folder of {@code extracted}. */
  private static Path baseFolder(FileSystem fs, Path dir, String extracted) throws IOException {
    int slash = extracted.indexOf('/');
    if (slash > 0 && dir.getName().equals(extracted.substring(0, slash)) && !fs.exists(new Path(dir, extracted))
        && fs.exists(new Path(dir.getParent(), extracted))) {
      return dir.getParent();
    }
    return dir;
  }

  /** True when every part is readable without staging (class lists can then be read up front). */
  boolean extracted() {
    for (Path r : roots) {
      if (r == null) {
        return false;
      }
    }
    return true;
  }

  /** The folder holding {@code part}'s extracted files; stages its archive on first use. */
  Path root(int part, FileSystem staged, Path staging) throws IOException {
    if (roots[part] == null) {
      Part p = parts.get(part);
      Path archive = archiveInput ? input : new Path(base, p.archive());
      Path target = new Path(new Path(staging.getParent(), "publisher"), Integer.toString(part));
      archives[part] = ArchiveStager.stage(archive, conf, p.keep(), staged, target);
      if (!staged.exists(new Path(target, p.extracted()))) {
        throw DatasetFormatException.of(archive, "archive lacks the expected member", p.extracted());
      }
      roots[part] = staged.makeQualified(target);
    }
    return roots[part];
  }

  /** The root of an extracted part; only valid when {@link #extracted()}. */
  Path root(int part) {
    if (roots[part] == null) {
      throw new IllegalStateException("Cannot read " + input + " before its archive is staged: " + parts.get(part).archive());
    }
    return roots[part];
  }

  /** The input folder (files outside every archive live here); null for an archive input. */
  Path base() {
    return base;
  }

  /** The archive {@code part} was staged from, as the manifest describes it; null when read from a folder. */
  ShardManifest.SourceFile archive(int part) {
    return archives[part];
  }

  Path input() {
    return input;
  }
}
