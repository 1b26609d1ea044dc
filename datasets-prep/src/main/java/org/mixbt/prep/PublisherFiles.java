package org.mixbt.prep;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.mixbt.core.data.DatasetFormatException;

/**
 * The files of a publisher's archive under its root folder (e.g. {@code cifar-10-batches-bin/}), read from the
 * archive itself ({@code .tar} or {@code .tar.gz}, gzip recognised by its magic bytes, never extracted to disk)
 * or from the extracted folder (the root folder itself or the folder that contains it).
 *
 * <p>An archive is scanned once when opened: every entry's path is checked (none may escape the archive root
 * with {@code ../} or an absolute path) and the sizes of the regular files are indexed. Each {@link #open}
 * then streams the archive again up to that member: one sequential decompression per member read, no temporary
 * files. A truncated archive is indexed up to the member it ends in, so reading that member reports the record
 * where the data stops.
 */
abstract class PublisherFiles {
  private static final int BUFFER = 1 << 16;

  /** Opens {@code input} (archive or folder) with the publisher's root folder name {@code root}. */
  static PublisherFiles open(Path input, String root) throws IOException {
    if (Files.isDirectory(input)) {
      Path dir = Files.isDirectory(input.resolve(root)) ? input.resolve(root) : input;
      return new Folder(dir);
    }
    if (!Files.isRegularFile(input)) {
      throw DatasetFormatException.of(input, "missing input", "no such file or directory");
    }
    return new Archive(input, root);
  }

  /** The bytes of {@code member} (a name relative to the root folder); the caller closes the stream. */
  abstract InputStream open(String member) throws IOException;

  /** Size in bytes of {@code member}; throws DatasetFormatException naming it when it is missing. */
  abstract long size(String member);

  /** How error messages name {@code member}: its path, or {@code archive!/root/member}. */
  abstract String describe(String member);

  /** The files to record in the manifest for {@code members}: the archive itself, or the members' paths. */
  abstract List<Path> sourceFiles(List<String> members);

  /** Checks that every member exists, before anything is read. */
  void require(List<String> members) {
    members.forEach(this::size);
  }

  /** The whole of a small member (class-name lists, pickles). */
  byte[] readAll(String member) throws IOException {
    try (InputStream in = open(member)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw DatasetFormatException.of(describe(member), "truncated or unreadable", e.getMessage());
    }
  }

  /** The non-blank lines of a small text member, trimmed. */
  List<String> lines(String member) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : new String(readAll(member), java.nio.charset.StandardCharsets.UTF_8).split("\r?\n")) {
      if (!line.isBlank()) {
        out.add(line.trim());
      }
    }
    return out;
  }

  private static final class Folder extends PublisherFiles {
    private final Path dir;

    Folder(Path dir) {
      this.dir = dir;
    }

    @Override
    InputStream open(String member) throws IOException {
      size(member);
      return new BufferedInputStream(Files.newInputStream(dir.resolve(member)), BUFFER);
    }

    @Override
    long size(String member) {
      Path p = dir.resolve(member);
      if (!Files.isRegularFile(p)) {
        throw DatasetFormatException.of(p, "missing file", "no such file in " + dir);
      }
      try {
        return Files.size(p);
      } catch (IOException e) {
        throw DatasetFormatException.of(p, "unreadable file", e.getMessage());
      }
    }

    @Override
    String describe(String member) {
      return dir.resolve(member).toString();
    }

    @Override
    List<Path> sourceFiles(List<String> members) {
      return members.stream().map(dir::resolve).toList();
    }
  }

  private static final class Archive extends PublisherFiles {
    private final Path archive;
    private final String root;
    /** Regular files under the root folder: name relative to the root → size from the tar header. */
    private final Map<String, Long> sizes = new LinkedHashMap<>();
    /** Set when the archive ends early: the entry it ends in and the error. */
    private String truncation;

    Archive(Path archive, String root) throws IOException {
      this.archive = archive;
      this.root = root;
      try (TarArchiveInputStream tar = openTar()) {
        TarArchiveEntry entry;
        String last = null;
        while (true) {
          try {
            entry = tar.getNextTarEntry();
          } catch (IOException e) {
            truncation = (last == null ? "before the first entry" : "in entry " + last) + ": " + e;
            break;
          }
          if (entry == null) {
            break;
          }
          String name = checkedName(entry.getName());
          last = name;
          if (entry.isFile() && name.startsWith(root + "/")) {
            sizes.put(name.substring(root.length() + 1), entry.getSize());
          }
        }
      }
    }

    private String checkedName(String name) {
      Path p = Path.of(name).normalize();
      if (p.isAbsolute() || p.startsWith("..") || name.contains("\\")) {
        throw DatasetFormatException.of(archive, "archive entry path escapes the archive root", name);
      }
      return p.toString();
    }

    private TarArchiveInputStream openTar() throws IOException {
      InputStream raw = new BufferedInputStream(Files.newInputStream(archive), BUFFER);
      try {
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        // No buffer over the gzip stream: a buffer fill that meets a truncation would lose the bytes before it.
        InputStream data = gzip ? new GzipCompressorInputStream(raw, true) : raw;
        return new TarArchiveInputStream(data);
      } catch (IOException | RuntimeException e) {
        raw.close();
        throw DatasetFormatException.of(archive, "unreadable archive", e.getMessage());
      }
    }

    @Override
    InputStream open(String member) throws IOException {
      size(member);
      String wanted = root + "/" + member;
      TarArchiveInputStream tar = openTar();
      try {
        for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
          if (Path.of(e.getName()).normalize().toString().equals(wanted)) {
            return new BufferedInputStream(tar, BUFFER);
          }
        }
      } catch (IOException | RuntimeException e) {
        tar.close();
        throw DatasetFormatException.of(describe(member), "truncated archive before this member", e.getMessage());
      }
      tar.close();
      throw DatasetFormatException.of(describe(member), "missing member", "archive changed while reading it");
    }

    @Override
    long size(String member) {
      Long size = sizes.get(member);
      if (size == null) {
        throw DatasetFormatException.of(describe(member), truncation == null ? "missing member" : "missing member, "
            + "archive truncated", truncation == null ? "no " + root + "/" + member + " in " + archive : truncation);
      }
      return size;
    }

    @Override
    String describe(String member) {
      return archive + "!/" + root + "/" + member;
    }

    @Override
    List<Path> sourceFiles(List<String> members) {
      return List.of(archive);
    }
  }
}
