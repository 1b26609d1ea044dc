package org.mixbt.core.data.idx;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.data.ImageRecord;

/**
 * Streams the images of an IDX image file (magic 0x00000803) paired with its IDX label file (magic
 * 0x00000801), gzipped or plain (told apart by the gzip magic bytes, not by the name), as
 * {@link ImageRecord}s with id = index in the file and one channel.
 *
 * <p>Labels are read whole on open (one byte per image); images are read one at a time, so only the
 * records the caller keeps are held. Every size is checked exactly: a short payload, bytes after the
 * last image or label, and a label count that differs from the image count are all errors
 * ({@link DatasetFormatException} naming the file). The trailing-bytes check of the image file runs when
 * the last image is read.
 */
public final class IdxReader implements Iterator<ImageRecord>, Closeable {
  private final Path imagesFile;
  private final InputStream images;
  private final byte[] labels;
  private final int height;
  private final int width;
  private int next;

  private IdxReader(Path imagesFile, InputStream images, byte[] labels, int height, int width) {
    this.imagesFile = imagesFile;
    this.images = images;
    this.labels = labels;
    this.height = height;
    this.width = width;
  }

  /** Opens the pair, reading and checking the labels and the image header. */
  public static IdxReader open(Path imagesFile, Path labelsFile) throws IOException {
    byte[] labels = readLabels(labelsFile);
    InputStream in = IdxStreams.open(imagesFile);
    try {
      IdxHeader header = IdxHeader.read(in, imagesFile.toString(), IdxHeader.IMAGES_MAGIC);
      if (header.dim(0) != labels.length) {
        throw DatasetFormatException.of(imagesFile, "image count disagrees with label file " + labelsFile,
            header.dim(0) + " images, " + labels.length + " labels");
      }
      if ((long) header.dim(1) * header.dim(2) > Integer.MAX_VALUE - 8) {
        throw DatasetFormatException.of(imagesFile, "image too large", header.dim(1) + "x" + header.dim(2));
      }
      if (labels.length == 0 && IdxStreams.hasMore(in)) {
        throw DatasetFormatException.of(imagesFile, "trailing bytes", "more than 0 pixel bytes");
      }
      return new IdxReader(imagesFile, in, labels, header.dim(1), header.dim(2));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Reads a whole IDX label file, checking magic, count and exact length. */
  public static byte[] readLabels(Path labelsFile) throws IOException {
    try (InputStream in = IdxStreams.open(labelsFile)) {
      IdxHeader header = IdxHeader.read(in, labelsFile.toString(), IdxHeader.LABELS_MAGIC);
      byte[] labels = new byte[header.dim(0)];
      int found = IdxStreams.readUpTo(in, labels, 0, labels.length);
      if (found < labels.length) {
        throw DatasetFormatException.of(labelsFile, "truncated",
            "expected " + labels.length + " label bytes, found " + found);
      }
      if (IdxStreams.hasMore(in)) {
        throw DatasetFormatException.of(labelsFile, "trailing bytes", "more than " + labels.length + " label bytes");
      }
      return labels;
    }
  }

  /** Reads every record of the pair, in file order, into {@code sink}. */
  public static void forEach(Path imagesFile, Path labelsFile, Consumer<ImageRecord> sink) throws IOException {
    try (IdxReader reader = open(imagesFile, labelsFile)) {
      reader.forEachRemaining(sink);
    }
  }

  /** Number of images (and labels). */
  public int count() {
    return labels.length;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  @Override
  public boolean hasNext() {
    return next < labels.length;
  }

  @Override
  public ImageRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException("No more images in " + imagesFile);
    }
    int size = height * width;
    byte[] pixels = new byte[size];
    try {
      int found = IdxStreams.readUpTo(images, pixels, 0, size);
      if (found < size) {
        throw DatasetFormatException.of(imagesFile, "truncated", "expected " + (long) labels.length * size
            + " pixel bytes, found " + ((long) next * size + found));
      }
      if (next == labels.length - 1 && IdxStreams.hasMore(images)) {
        throw DatasetFormatException.of(imagesFile, "trailing bytes",
            "more than " + (long) labels.length * size + " pixel bytes");
      }
    } catch (IOException e) {
      throw new DatasetFormatException("Cannot read " + imagesFile + ": I/O error: " + e.getMessage(), e);
    }
    ImageRecord record = new ImageRecord(next, labels[next] & 0xFF, pixels, height, width, 1);
    next++;
    return record;
  }

  @Override
  public void close() throws IOException {
    images.close();
  }
}
