package org.mixbt.prep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;

/**
 * A publisher's small text file (split list, label file, CSV) read whole, as numbered non-blank lines, so
 * every complaint names the file and line; described in the manifest by its own size and sha256.
 */
final class AnnotationFile {
  /** One non-blank line, stripped, with its 1-based number in the file. */
  record Line(int number, String text) {}

  private final Path path;
  private final String name;
  private final List<Line> lines;
  private final ShardManifest.SourceFile description;

  private AnnotationFile(Path path, String name, byte[] bytes) {
    this.path = path;
    this.name = name;
    List<Line> out = new ArrayList<>();
    String[] raw = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String t = raw[i].strip();
      if (!t.isEmpty()) {
        out.add(new Line(i + 1, t));
      }
    }
    this.lines = List.copyOf(out);
    this.description = new ShardManifest.SourceFile(name, bytes.length,
        HexFormat.of().formatHex(ArchiveEntries.sha256().digest(bytes)));
  }

  /** Reads {@code root/name}; a missing file is an error naming it. */
  static AnnotationFile read(FileSystem fs, Path root, String name) throws IOException {
    Path p = new Path(root, name);
    if (!fs.isFile(p)) {
      throw DatasetFormatException.of(p, "missing file", "no such file");
    }
    try (InputStream in = fs.open(p)) {
      return new AnnotationFile(p, name, in.readAllBytes());
    }
  }

  List<Line> lines() {
    return lines;
  }

  /** The file's path relative to the dataset root, as the publisher names it. */
  String name() {
    return name;
  }

  ShardManifest.SourceFile description() {
    return description;
  }

  /** "Cannot read {file}: line {n}: {what}: {value}". */
  DatasetFormatException error(Line line, String what, Object value) {
    return DatasetFormatException.of(path, "line " + line.number() + ": " + what, value);
  }

  /** Splits {@code line} on {@code regex} into exactly {@code n} fields (the last keeps the rest), or fails. */
  String[] fields(Line line, String regex, int n, String expected) {
    String[] f = line.text().split(regex, n);
    if (f.length != n || f[n - 1].isBlank()) {
      throw error(line, "malformed line, expected " + expected, line.text());
    }
    return f;
  }
}
