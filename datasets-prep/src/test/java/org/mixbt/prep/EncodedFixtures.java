package org.mixbt.prep;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.mixbt.core.data.image.ImageFixtures;

/** Publisher layouts built in the tests: folder trees, ImageNet's tar of tars, Tiny-ImageNet's zip. */
final class EncodedFixtures {
  private EncodedFixtures() {}

  static byte[] jpeg(int h, int w, long seed) {
    return ImageFixtures.encode(ImageFixtures.rgb(h, w, seed), "jpeg");
  }

  static byte[] png(int h, int w, long seed) {
    return ImageFixtures.encode(ImageFixtures.rgb(h, w, seed), "png");
  }

  static byte[] greyJpeg(int h, int w, long seed) {
    return ImageFixtures.encode(ImageFixtures.grey(h, w, seed), "jpeg");
  }

  /** Writes {@code files} (relative path → bytes) below {@code root}. */
  static void writeTree(Path root, Map<String, byte[]> files) throws IOException {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path p = root.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
  }

  /** A tar holding {@code members} in the given order. */
  static byte[] tar(Map<String, byte[]> members) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(m.getKey(), true);
        e.setSize(m.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(m.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  /** ILSVRC2012_img_train.tar's layout: one tar per class, named by wnid, holding {@code <wnid>_<n>.JPEG}. */
  static byte[] imagenetTrainTar(Map<String, Map<String, byte[]>> classes) throws IOException {
    Map<String, byte[]> outer = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, byte[]>> c : classes.entrySet()) {
      outer.put(c.getKey() + ".tar", tar(c.getValue()));
    }
    return tar(outer);
  }

  static void zip(Path file, Map<String, byte[]> members) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> m : members.entrySet()) {
        zip.putNextEntry(new ZipEntry(m.getKey()));
        zip.write(m.getValue());
        zip.closeEntry();
      }
    }
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
