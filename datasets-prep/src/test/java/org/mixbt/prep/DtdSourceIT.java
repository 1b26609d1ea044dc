package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** DTD in its published layout (dtd-r1.0.1.tar.gz and its folder), two folds, and every bad list line. */
class DtdSourceIT {
  static SparkSession spark;
  @TempDir static Path tmp;
  static final String I = "dtd/images/";
  static final Map<String, byte[]> MEMBERS = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    spark = TransferFixtures.spark("DtdSourceIT");
    int seed = 0;
    for (String c : List.of("zigzag", "banded", "blotchy")) { // archive order is not class order
      for (int n = 1; n <= 2; n++) {
        MEMBERS.put(I + c + "/" + c + "_000" + n + ".jpg", EncodedFixtures.jpeg(20 + seed, 30 - seed, seed++));
      }
    }
    MEMBERS.put("dtd/imdb/imdb.mat", new byte[] {1, 2, 3}); // publisher's extra files are ignored
    MEMBERS.put("dtd/labels/labels_joint_anno.txt", EncodedFixtures.text("banded/banded_0001.jpg banded\n"));
    MEMBERS.put("dtd/labels/train1.txt", EncodedFixtures.text("zigzag/zigzag_0001.jpg\nbanded/banded_0001.jpg\n"));
    MEMBERS.put("dtd/labels/val1.txt", EncodedFixtures.text("blotchy/blotchy_0001.jpg\n"));
    MEMBERS.put("dtd/labels/test1.txt",
        EncodedFixtures.text("banded/banded_0002.jpg\nblotchy/blotchy_0002.jpg\nzigzag/zigzag_0002.jpg\n"));
    MEMBERS.put("dtd/labels/train2.txt", EncodedFixtures.text("banded/banded_0002.jpg\nblotchy/blotchy_0001.jpg\n"));
    MEMBERS.put("dtd/labels/val2.txt", EncodedFixtures.text("zigzag/zigzag_0002.jpg\n"));
    MEMBERS.put("dtd/labels/test2.txt", EncodedFixtures.text("banded/banded_0001.jpg\n"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void archiveAndFolderGiveTheOfficialFoldSplits() throws IOException {
    Path tgz = tmp.resolve("dtd-r1.0.1.tar.gz");
    TransferFixtures.tgz(tgz, MEMBERS);
    ShardManifest a = TransferFixtures.writer(spark).write(new DtdSource(tgz.toString(), 1, false,
        TransferFixtures.CONF), tmp.resolve("dtd-tgz-out").toString());
    assertEquals(List.of("banded", "blotchy", "zigzag"), a.classNames());
    assertEquals(List.of("train", "val", "test"), List.copyOf(a.splits().keySet()));
    assertEquals("dtd-r1.0.1.tar.gz", a.splits().get("test").sourceFiles().get(0).name());
    assertEquals("dtd/labels/test1.txt", a.splits().get("test").sourceFiles().get(1).name());
    ShardStore store = TransferFixtures.open(tmp.resolve("dtd-tgz-out"));
    TransferFixtures.assertSplit(spark, store, "train", Map.of(I + "zigzag/zigzag_0001.jpg", 2,
        I + "banded/banded_0001.jpg", 0), MEMBERS);
    TransferFixtures.assertSplit(spark, store, "val", Map.of(I + "blotchy/blotchy_0001.jpg", 1), MEMBERS);
    TransferFixtures.assertSplit(spark, store, "test", Map.of(I + "banded/banded_0002.jpg", 0,
        I + "blotchy/blotchy_0002.jpg", 1, I + "zigzag/zigzag_0002.jpg", 2), MEMBERS);

    // The extracted folder, given as its parent or as dtd/ itself: the same shards.
    EncodedFixtures.writeTree(tmp.resolve("extracted"), MEMBERS);
    for (String input : List.of("extracted", "extracted/dtd")) {
      Path out = tmp.resolve("dtd-" + input.replace('/', '-') + "-out");
      ShardManifest f = TransferFixtures.writer(spark).write(new DtdSource(tmp.resolve(input).toString(), 1, false,
          TransferFixtures.CONF), out.toString());
      for (String split : List.of("train", "val", "test")) {
        assertEquals(a.splits().get(split).shards(), f.splits().get(split).shards(), input + " " + split);
      }
      assertEquals("dtd/images/", f.splits().get("train").sourceFiles().get(0).name());
    }
  }

  @Test
  void foldTwoWithTrainVal() throws IOException {
    Path root = tmp.resolve("fold2");
    EncodedFixtures.writeTree(root, MEMBERS);
    ShardManifest m = TransferFixtures.writer(spark).write(new DtdSource(root.toString(), 2, true,
        TransferFixtures.CONF), tmp.resolve("dtd-fold2-out").toString());
    assertEquals(List.of("train", "val", "test", "trainval"), List.copyOf(m.splits().keySet()));
    ShardStore store = TransferFixtures.open(tmp.resolve("dtd-fold2-out"));
    TransferFixtures.assertSplit(spark, store, "trainval", Map.of(I + "banded/banded_0002.jpg", 0,
        I + "blotchy/blotchy_0001.jpg", 1, I + "zigzag/zigzag_0002.jpg", 2), MEMBERS);
    TransferFixtures.assertSplit(spark, store, "test", Map.of(I + "banded/banded_0001.jpg", 0), MEMBERS);
    assertEquals(2, m.splits().get("trainval").sourceFiles().size() - 1, "train2.txt and val2.txt described");
    assertThrows(IllegalArgumentException.class, () -> new DtdSource(root.toString(), 11, false, TransferFixtures.CONF));
  }

  @Test
  void badListLinesAreErrorsNamingFileAndLine() throws IOException {
    String test = "dtd/labels/test1.txt";
    assertBad("unknown", TransferFixtures.with(MEMBERS, test, "banded/banded_0002.jpg\nstriped/striped_0001.jpg\n"),
        ".*/dtd/labels/test1.txt: line 2: unknown class \\(no folder in dtd/images/\\): striped");
    assertBad("missing", TransferFixtures.with(MEMBERS, test, "\nbanded/banded_0009.jpg\n"),
        ".*/dtd/labels/test1.txt: line 2: missing image: dtd/images/banded/banded_0009.jpg");
    assertBad("malformed", TransferFixtures.with(MEMBERS, test, "banded banded_0002.jpg\n"),
        ".*/dtd/labels/test1.txt: line 1: malformed line, expected <class>/<file>.jpg: banded banded_0002.jpg");
    assertBad("twice", TransferFixtures.with(MEMBERS, test, "banded/banded_0002.jpg\nbanded/banded_0002.jpg\n"),
        ".*/dtd/labels/test1.txt: line 2: image listed twice: dtd/images/banded/banded_0002.jpg");
    assertBad("nolist", TransferFixtures.without(MEMBERS, test), ".*/dtd/labels/test1.txt: missing file: no such file");
  }

  private static void assertBad(String name, Map<String, byte[]> members, String regex) throws IOException {
    Path tgz = tmp.resolve("bad-" + name + ".tar.gz");
    TransferFixtures.tgz(tgz, members);
    Path folder = tmp.resolve("bad-" + name);
    EncodedFixtures.writeTree(folder, members);
    Path out = tmp.resolve("bad-out");
    for (Path input : List.of(tgz, folder)) {
      DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> TransferFixtures.writer(spark)
          .write(new DtdSource(input.toString(), 1, false, TransferFixtures.CONF), out.toString()));
      assertTrue(e.getMessage().matches("Cannot read file:" + regex), e.getMessage());
      assertFalse(Files.exists(out));
    }
  }
}
