package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

/** CUB-200-2011 in its published layout (CUB_200_2011.tgz and its folder), and every bad annotation line. */
class Cub200SourceIT {
  static SparkSession spark;
  @TempDir static Path tmp;
  static final String T = "CUB_200_2011/";
  static final String A = "001.Black_footed_Albatross/Black_Footed_Albatross_000";
  static final String B = "002.Laysan_Albatross/Laysan_Albatross_000";
  static final Map<String, byte[]> MEMBERS = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    spark = TransferFixtures.spark("Cub200SourceIT");
    MEMBERS.put("attributes.txt", EncodedFixtures.text("1 has_bill_shape::curved\n")); // outside the top folder
    MEMBERS.put(T + "classes.txt", EncodedFixtures.text("1 001.Black_footed_Albatross\n2 002.Laysan_Albatross\n"));
    MEMBERS.put(T + "images.txt", EncodedFixtures.text("1 " + A + "1.jpg\n2 " + A + "2.jpg\n3 " + B + "1.jpg\n4 "
        + B + "2.jpg\n5 " + B + "3.jpg\n"));
    MEMBERS.put(T + "image_class_labels.txt", EncodedFixtures.text("1 1\n2 1\n3 2\n4 2\n5 2\n"));
    MEMBERS.put(T + "train_test_split.txt", EncodedFixtures.text("1 1\n2 0\n3 0\n4 1\n5 1\n"));
    MEMBERS.put(T + "bounding_boxes.txt", EncodedFixtures.text("1 60.0 27.0 325.0 304.0\n"));
    MEMBERS.put(T + "parts/parts.txt", EncodedFixtures.text("1 back\n"));
    for (int i = 1; i <= 3; i++) {
      if (i < 3) {
        MEMBERS.put(T + "images/" + A + i + ".jpg", EncodedFixtures.jpeg(18 + i, 25, 40 + i));
      }
      MEMBERS.put(T + "images/" + B + i + ".jpg", EncodedFixtures.jpeg(22, 17 + i, 50 + i));
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void archiveAndFolderGiveTheOfficialSplit() throws IOException {
    Path tgz = tmp.resolve("CUB_200_2011.tgz");
    TransferFixtures.tgz(tgz, MEMBERS);
    ShardManifest a = TransferFixtures.writer(spark).write(new Cub200Source(tgz.toString(), TransferFixtures.CONF),
        tmp.resolve("cub-tgz-out").toString());
    assertEquals(List.of("001.Black_footed_Albatross", "002.Laysan_Albatross"), a.classNames());
    assertEquals(3, TransferFixtures.records(a, "train"));
    assertEquals(2, TransferFixtures.records(a, "test"));
    ShardStore store = TransferFixtures.open(tmp.resolve("cub-tgz-out"));
    String i = T + "images/";
    TransferFixtures.assertSplit(spark, store, "train", Map.of(i + A + "1.jpg", 0, i + B + "2.jpg", 1,
        i + B + "3.jpg", 1), MEMBERS);
    TransferFixtures.assertSplit(spark, store, "test", Map.of(i + A + "2.jpg", 0, i + B + "1.jpg", 1), MEMBERS);
    EncodedFixtures.writeTree(tmp.resolve("cub"), MEMBERS);
    ShardManifest f = TransferFixtures.writer(spark).write(new Cub200Source(tmp.resolve("cub").resolve(T).toString(),
        TransferFixtures.CONF), tmp.resolve("cub-folder-out").toString());
    for (String split : List.of("train", "test")) {
      assertEquals(a.splits().get(split).shards(), f.splits().get(split).shards(), split);
    }
    assertEquals("CUB_200_2011/images/", f.splits().get("train").sourceFiles().get(0).name());
  }

  @Test
  void badAnnotationLinesAreErrorsNamingFileAndLine() throws IOException {
    assertBad("missing", TransferFixtures.with(MEMBERS, T + "images.txt", "1 " + A + "1.jpg\n2 " + A + "7.jpg\n"),
        "images.txt: line 2: missing image: CUB_200_2011/images/" + A + "7.jpg");
    assertBad("unknownclass", TransferFixtures.with(MEMBERS, T + "image_class_labels.txt", "1 1\n2 3\n3 2\n4 2\n5 2\n"),
        "image_class_labels.txt: line 2: unknown class id \\(classes.txt has 1..2\\): 3");
    assertBad("malformed", TransferFixtures.with(MEMBERS, T + "train_test_split.txt", "1 1\n2\n"),
        "train_test_split.txt: line 2: malformed line, expected <image id> <1 train \\| 0 test>: 2");
    assertBad("flag", TransferFixtures.with(MEMBERS, T + "train_test_split.txt", "1 1\n2 0\n3 0\n4 1\n5 2\n"),
        "train_test_split.txt: line 5: split flag must be 1 \\(train\\) or 0 \\(test\\): 2");
    assertBad("nolabel", TransferFixtures.with(MEMBERS, T + "image_class_labels.txt", "1 1\n2 1\n3 2\n4 2\n"),
        "images.txt: line 5: image id without a line in CUB_200_2011/image_class_labels.txt: 5");
    assertBad("wrongfolder", TransferFixtures.with(MEMBERS, T + "image_class_labels.txt", "1 2\n2 1\n3 2\n4 2\n5 2\n"),
        "images.txt: line 1: image folder is not its class 002.Laysan_Albatross \\(image_class_labels.txt\\): " + A
            + "1.jpg");
    assertBad("classorder", TransferFixtures.with(MEMBERS, T + "classes.txt", "2 002.Laysan_Albatross\n"),
        "classes.txt: line 1: class ids must run 1, 2, … in order; expected 1: 2");
  }

  private static void assertBad(String name, Map<String, byte[]> members, String regex) throws IOException {
    Path tgz = tmp.resolve("bad-" + name + ".tgz");
    TransferFixtures.tgz(tgz, members);
    Path folder = tmp.resolve("bad-" + name);
    EncodedFixtures.writeTree(folder, members);
    for (Path input : List.of(tgz, folder)) {
      DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> TransferFixtures.writer(spark)
          .write(new Cub200Source(input.toString(), TransferFixtures.CONF), tmp.resolve("bad-out").toString()));
      assertTrue(e.getMessage().matches("Cannot read file:.*/CUB_200_2011/" + regex), e.getMessage());
    }
  }
}
