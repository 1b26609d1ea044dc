package org.mixbt.core.data.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.data.ImageRecord;

class IdxReaderTest {
  /** Debian package dataset-fashion-mnist. */
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  /**
   * sha256 of the 784 pixel bytes of train image 0 (label 9, Ankle boot), computed once with
   * {@code python3 -c "import gzip,hashlib; d=gzip.open('train-images-idx3-ubyte.gz').read();
   * print(hashlib.sha256(d[16:16+784]).hexdigest(), sum(d[16:16+784]))"}.
   */
  static final String FIRST_TRAIN_IMAGE_SHA256 = "5bd44e331a6d6998daf675700cd0c13dcd7af8ab954b7585124124da61459e7b";
  static final long FIRST_TRAIN_IMAGE_SUM = 76247;

  @TempDir Path tmp;

  @Test
  void readsRealFashionMnistTrain() throws IOException {
    int[] histogram = new int[10];
    List<ImageRecord> first = new ArrayList<>();
    try (IdxReader reader = IdxReader.open(FASHION.resolve("train-images-idx3-ubyte.gz"),
        FASHION.resolve("train-labels-idx1-ubyte.gz"))) {
      assertEquals(60000, reader.count());
      assertEquals(28, reader.height());
      assertEquals(28, reader.width());
      long expectedId = 0;
      while (reader.hasNext()) {
        ImageRecord r = reader.next();
        assertEquals(expectedId++, r.id());
        histogram[r.label()]++;
        if (first.isEmpty()) {
          first.add(r);
        }
      }
      assertEquals(60000, expectedId);
    }
    int[] expected = new int[10];
    Arrays.fill(expected, 6000);
    assertArrayEquals(expected, histogram);
    ImageRecord r0 = first.get(0);
    assertEquals(9, r0.label());
    assertEquals(1, r0.channels());
    assertEquals(FIRST_TRAIN_IMAGE_SHA256, sha256(r0.pixels()));
    long sum = 0;
    for (byte b : r0.pixels()) {
      sum += b & 0xFF;
    }
    assertEquals(FIRST_TRAIN_IMAGE_SUM, sum);
  }

  @Test
  void readsRealFashionMnistTestGzippedAndPlainAlike() throws IOException {
    Path gzImages = FASHION.resolve("t10k-images-idx3-ubyte.gz");
    Path gzLabels = FASHION.resolve("t10k-labels-idx1-ubyte.gz");
    // Plain copies under misleading names: the format is told by magic bytes, not by the name.
    Path plainImages = Files.write(tmp.resolve("images.gz"), IdxFixtures.gunzip(gzImages));
    Path plainLabels = Files.write(tmp.resolve("labels"), IdxFixtures.gunzip(gzLabels));
    List<ImageRecord> gz = readAll(gzImages, gzLabels);
    List<ImageRecord> plain = readAll(plainImages, plainLabels);
    assertEquals(10000, gz.size());
    assertEquals(gz, plain);
    int[] histogram = new int[10];
    gz.forEach(r -> histogram[r.label()]++);
    int[] expected = new int[10];
    Arrays.fill(expected, 1000);
    assertArrayEquals(expected, histogram);
  }

  @Test
  void readsFixturePixelExact() throws IOException {
    IdxFixtures.Images set = IdxFixtures.random(7, 5, 4, 10, 1);
    IdxFixtures.writeSplit(tmp, "train", set, true);
    List<ImageRecord> records = readAll(tmp.resolve("train-images-idx3-ubyte.gz"), tmp.resolve("train-labels-idx1-ubyte.gz"));
    assertEquals(7, records.size());
    for (int i = 0; i < 7; i++) {
      assertEquals(i, records.get(i).id());
      assertEquals(set.labels()[i], records.get(i).label());
      assertEquals(5, records.get(i).height());
      assertEquals(4, records.get(i).width());
      assertArrayEquals(set.images()[i], records.get(i).pixels());
    }
  }

  @Test
  void truncatedImagesFileIsNamed() throws IOException {
    IdxFixtures.Images set = IdxFixtures.random(10, 5, 4, 10, 2);
    for (boolean gzip : new boolean[] {false, true}) {
      byte[] full = IdxFixtures.imagesBytes(set);
      Path images = IdxFixtures.write(tmp.resolve("imgs" + gzip), Arrays.copyOf(full, full.length - 30), gzip);
      Path labels = IdxFixtures.write(tmp.resolve("lbls" + gzip), IdxFixtures.labelsBytes(set.labels()), gzip);
      assertMessage("Cannot read " + images + ": truncated: expected 200 pixel bytes, found 170", images, labels);
    }
  }

  @Test
  void truncatedGzipStreamIsTruncation() throws IOException {
    IdxFixtures.Images set = IdxFixtures.random(50, 5, 4, 10, 3);
    Path whole = IdxFixtures.write(tmp.resolve("whole.gz"), IdxFixtures.imagesBytes(set), true);
    byte[] gz = Files.readAllBytes(whole);
    Path images = Files.write(tmp.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
    Path labels = IdxFixtures.write(tmp.resolve("labels"), IdxFixtures.labelsBytes(set.labels()), false);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> readAll(images, labels));
    assertTrue(e.getMessage().startsWith("Cannot read " + images + ": truncated: expected 1000 pixel bytes, found "),
        e.getMessage());
  }

  @Test
  void truncatedLabelsFileIsNamed() throws IOException {
    IdxFixtures.Images set = IdxFixtures.random(10, 5, 4, 10, 4);
    Path images = IdxFixtures.write(tmp.resolve("imgs"), IdxFixtures.imagesBytes(set), false);
    byte[] full = IdxFixtures.labelsBytes(set.labels());
    Path labels = IdxFixtures.write(tmp.resolve("lbls"), Arrays.copyOf(full, full.length - 3), true);
    assertMessage("Cannot read " + labels + ": truncated: expected 10 label bytes, found 7", images, labels);
  }

  @Test
  void trailingBytesAreRejected() throws IOException {
    IdxFixtures.Images set = IdxFixtures.random(10, 5, 4, 10, 5);
    byte[] full = IdxFixtures.imagesBytes(set);
    Path images = IdxFixtures.write(tmp.resolve("imgs"), Arrays.copyOf(full, full.length + 1), false);
    Path labels = IdxFixtures.write(tmp.resolve("lbls"), IdxFixtures.labelsBytes(set.labels()), false);
    assertMessage("Cannot read " + images + ": trailing bytes: more than 200 pixel bytes", images, labels);
    byte[] fullLabels = IdxFixtures.labelsBytes(set.labels());
    Path longLabels = IdxFixtures.write(tmp.resolve("lbls2"), Arrays.copyOf(fullLabels, fullLabels.length + 2), true);
    assertMessage("Cannot read " + longLabels + ": trailing bytes: more than 10 label bytes", images, longLabels);
  }

  @Test
  void wrongMagicIsNamed() throws IOException {
    IdxFixtures.Images set = IdxFixtures.random(10, 5, 4, 10, 6);
    Path labels = IdxFixtures.write(tmp.resolve("lbls"), IdxFixtures.labelsBytes(set.labels()), false);
    // The labels file given as the images file.
    assertMessage("Cannot read " + labels + ": wrong magic number: expected 0x00000803, found 0x00000801",
        labels, labels);
  }

  @Test
  void labelCountDisagreeingWithImageCountIsNamed() throws IOException {
    IdxFixtures.Images set = IdxFixtures.random(10, 5, 4, 10, 7);
    Path images = IdxFixtures.write(tmp.resolve("imgs"), IdxFixtures.imagesBytes(set), false);
    Path labels = IdxFixtures.write(tmp.resolve("lbls"), IdxFixtures.labelsBytes(Arrays.copyOf(set.labels(), 9)), false);
    assertMessage("Cannot read " + images + ": image count disagrees with label file " + labels
        + ": 10 images, 9 labels", images, labels);
  }

  @Test
  void missingFileIsNamed() throws IOException {
    Path labels = IdxFixtures.write(tmp.resolve("lbls"), IdxFixtures.labelsBytes(new byte[3]), false);
    Path images = tmp.resolve("nothing-here");
    assertMessage("Cannot read " + images + ": missing file: no such file", images, labels);
    assertMessage("Cannot read " + images + ": missing file: no such file", labels, images);
  }

  @Test
  void emptyFileIsNamed() throws IOException {
    Path labels = IdxFixtures.write(tmp.resolve("lbls"), IdxFixtures.labelsBytes(new byte[3]), false);
    Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
    assertMessage("Cannot read " + empty + ": empty file: 0 bytes", empty, labels);
    assertMessage("Cannot read " + empty + ": empty file: 0 bytes", labels, empty);
  }

  private static void assertMessage(String expected, Path images, Path labels) {
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> readAll(images, labels));
    assertEquals(expected, e.getMessage());
  }

  private static List<ImageRecord> readAll(Path images, Path labels) throws IOException {
    List<ImageRecord> out = new ArrayList<>();
    IdxReader.forEach(images, labels, out::add);
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
