package org.mixbt.core.data.idx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes small IDX files (the MNIST format) for tests, optionally gzipped, with the publisher's file
 * names. Shared with other modules through the core test-jar.
 */
public final class IdxFixtures {
  public static final int IMAGES_MAGIC = 0x00000803;
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxFixtures() {}

  /** A tiny labelled image set: {@code images[i]} has {@code height*width} bytes, label {@code labels[i]}. */
  public record Images(byte[][] images, byte[] labels, int height, int width) {
    public int count() {
      return labels.length;
    }
  }

  /** {@code n} random {@code height×width} images with labels in {@code [0, classes)}, from {@code seed}. */
  public static Images random(int n, int height, int width, int classes, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[][] images = new byte[n][height * width];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < height * width; p++) {
        images[i][p] = (byte) rnd.nextInt(256);
      }
      labels[i] = (byte) rnd.nextInt(classes);
    }
    return new Images(images, labels, height, width);
  }

  /** Bytes of an IDX image file: magic 0x00000803, count, rows, columns, pixels. */
  public static byte[] imagesBytes(Images set) {
    ByteBuffer buf = ByteBuffer.allocate(16 + set.count() * set.height() * set.width());
    buf.putInt(IMAGES_MAGIC).putInt(set.count()).putInt(set.height()).putInt(set.width());
    for (byte[] image : set.images()) {
      buf.put(image);
    }
    return buf.array();
  }

  /** Bytes of an IDX label file: magic 0x00000801, count, labels. */
  public static byte[] labelsBytes(byte[] labels) {
    return ByteBuffer.allocate(8 + labels.length).putInt(LABELS_MAGIC).putInt(labels.length).put(labels).array();
  }

  /** Writes {@code content} to {@code file}, gzipped when asked; returns {@code file}. */
  public static Path write(Path file, byte[] content, boolean gzip) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(content);
    }
    return file;
  }

  /** Publisher's name of a file: {@code <prefix>-images-idx3-ubyte[.gz]} / {@code <prefix>-labels-idx1-ubyte[.gz]}. */
  public static String fileName(String prefix, boolean images, boolean gzip) {
    return prefix + (images ? "-images-idx3-ubyte" : "-labels-idx1-ubyte") + (gzip ? ".gz" : "");
  }

  /** Writes the image and label files of {@code set} as {@code dir/<prefix>-…}, e.g. prefix "train" or "t10k". */
  public static void writeSplit(Path dir, String prefix, Images set, boolean gzip) throws IOException {
    write(dir.resolve(fileName(prefix, true, gzip)), imagesBytes(set), gzip);
    write(dir.resolve(fileName(prefix, false, gzip)), labelsBytes(set.labels()), gzip);
  }

  /** Decompressed bytes of a gzip file. */
  public static byte[] gunzip(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
