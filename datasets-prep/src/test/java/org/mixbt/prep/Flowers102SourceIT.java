package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardStore;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.Matrix;

/** Flowers-102's published files: jpg/ (or 102flowers.tgz), imagelabels.mat and setid.mat written with MFL. */
class Flowers102SourceIT {
  static SparkSession spark;
  @TempDir static Path tmp;
  static final Map<String, byte[]> IMAGES = new LinkedHashMap<>();
  static final int[] LABELS = {3, 1, 102, 1, 3};

  @BeforeAll
  static void start() {
    spark = TransferFixtures.spark("Flowers102SourceIT");
    for (int i = 1; i <= LABELS.length; i++) {
      IMAGES.put(String.format("jpg/image_%05d.jpg", i), EncodedFixtures.jpeg(20 + i, 24, 70 + i));
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** A folder with the two .mat files and, unless {@code tgz}, jpg/ (else 102flowers.tgz). */
  static Path download(String name, int[] labels, int[] trn, int[] val, int[] tst, boolean tgz) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    if (tgz) {
      TransferFixtures.tgz(dir.resolve("102flowers.tgz"), IMAGES);
    } else {
      EncodedFixtures.writeTree(dir, IMAGES);
    }
    MatFile l = Mat5.newMatFile().addArray("labels", row(labels));
    Mat5.writeToFile(l, dir.resolve("imagelabels.mat").toFile());
    MatFile s = Mat5.newMatFile().addArray("trnid", row(trn)).addArray("valid", row(val)).addArray("tstid", row(tst));
    Mat5.writeToFile(s, dir.resolve("setid.mat").toFile());
    return dir;
  }

  /** A 1×n double row vector, as the publisher's files hold them. */
  static Matrix row(int[] values) {
    Matrix m = Mat5.newMatrix(1, values.length);
    for (int i = 0; i < values.length; i++) {
      m.setDouble(i, values[i]);
    }
    return m;
  }

  @Test
  void officialSplitsFromFolderAndTgz() throws IOException {
    ShardManifest f = null;
    for (boolean tgz : List.of(false, true)) {
      Path dir = download("flowers-" + tgz, LABELS, new int[] {3, 1}, new int[] {2}, new int[] {5, 4}, tgz);
      Path out = tmp.resolve("flowers-out-" + tgz);
      ShardManifest m = TransferFixtures.writer(spark).write(new Flowers102Source(dir.toString(),
          TransferFixtures.CONF), out.toString());
      assertEquals(102, m.classNames().size());
      assertEquals("1", m.classNames().get(0));
      assertEquals("102", m.classNames().get(101));
      ShardStore store = TransferFixtures.open(out);
      TransferFixtures.assertSplit(spark, store, "train", Map.of("jpg/image_00003.jpg", 101, "jpg/image_00001.jpg", 2),
          IMAGES);
      TransferFixtures.assertSplit(spark, store, "val", Map.of("jpg/image_00002.jpg", 0), IMAGES);
      TransferFixtures.assertSplit(spark, store, "test", Map.of("jpg/image_00005.jpg", 2, "jpg/image_00004.jpg", 0),
          IMAGES);
      assertEquals(tgz ? "102flowers.tgz" : "jpg/", m.splits().get("test").sourceFiles().get(0).name());
      assertEquals("setid.mat", m.splits().get("test").sourceFiles().get(2).name());
      if (f != null) {
        for (String split : List.of("train", "val", "test")) {
          assertEquals(f.splits().get(split).shards(), m.splits().get(split).shards(), split);
        }
      }
      f = m;
    }
  }

  @Test
  void badMatFilesAreErrorsNamingTheVariable() throws IOException {
    assertBad("range", LABELS, new int[] {3, 9}, ".*/setid.mat: trnid\\[1\\] is not an image number 1..5 of "
        + "imagelabels.mat: 9");
    assertBad("twice", LABELS, new int[] {2, 1}, ".*/setid.mat: valid\\[0\\] names an image already in a split: 2");
    assertBad("label", new int[] {3, 1, 103, 1, 3}, new int[] {3}, ".*/imagelabels.mat: labels\\[2\\] is not a class "
        + "1..102: 103");
    Path dir = download("missing", LABELS, new int[] {1}, new int[] {2}, new int[] {3}, false);
    Files.delete(dir.resolve("jpg/image_00003.jpg"));
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> TransferFixtures.writer(spark)
        .write(new Flowers102Source(dir.toString(), TransferFixtures.CONF), tmp.resolve("bad-out").toString()));
    assertTrue(e.getMessage().matches("Cannot read file:.*/setid.mat: tstid\\[0\\] names a missing image: "
        + "jpg/image_00003.jpg"), e.getMessage());
    Files.write(dir.resolve("setid.mat"), new byte[] {1, 2, 3});
    e = assertThrows(DatasetFormatException.class, () -> new Flowers102Source(dir.toString(), TransferFixtures.CONF));
    assertTrue(e.getMessage().matches("Cannot read file:.*/setid.mat: not a MATLAB v5 .mat file: .*"), e.getMessage());
  }

  private static void assertBad(String name, int[] labels, int[] trn, String regex) throws IOException {
    Path dir = download("bad-" + name, labels, trn, new int[] {2}, new int[] {4}, false);
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> new Flowers102Source(dir.toString(), TransferFixtures.CONF));
    assertTrue(e.getMessage().matches("Cannot read file:" + regex), e.getMessage());
  }
}
