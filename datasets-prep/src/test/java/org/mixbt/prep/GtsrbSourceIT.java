package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.data.image.ImageDecoder;
import org.mixbt.core.data.image.ImageFixtures;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardSchema;
import org.mixbt.core.shard.ShardStore;

/** GTSRB's three published zips (and their extracted folders) with raw PPM images and semicolon CSVs. */
class GtsrbSourceIT {
  static SparkSession spark;
  @TempDir static Path tmp;
  static final String TR = "GTSRB/Final_Training/Images/";
  static final String TE = "GTSRB/Final_Test/Images/";
  static final String H = "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId\n";
  static final Map<String, byte[]> TRAIN = new LinkedHashMap<>();
  static final Map<String, byte[]> TEST = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    spark = TransferFixtures.spark("GtsrbSourceIT");
    int seed = 0;
    for (int c = 0; c < 3; c++) {
      StringBuilder csv = new StringBuilder(H);
      for (int n = 0; n < 2; n++) {
        String file = String.format("%05d_%05d.ppm", n, seed);
        csv.append(file).append(";29;30;5;5;24;25;").append(c).append('\n');
        TRAIN.put(TR + String.format("%05d/", c) + file, ppm(15 + seed, 16 + c, seed++));
      }
      TRAIN.put(TR + String.format("%05d/GT-%05d.csv", c, c), EncodedFixtures.text(csv.toString()));
    }
    TEST.put(TE + "00000.ppm", ppm(31, 19, 20));
    TEST.put(TE + "00001.ppm", ppm(17, 40, 21));
    TEST.put(TE + "GT-final_test.test.csv", EncodedFixtures.text("Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2\n"));
  }

  static byte[] ppm(int h, int w, long seed) {
    return ImageFixtures.ppm(ImageFixtures.rgb(h, w, seed));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static final String GT = H + "00000.ppm;31;19;5;6;20;14;2\n00001.ppm;40;17;1;2;3;4;0\n";

  /** The three zips, or their extracted contents when {@code extracted}. */
  static Path download(String name, boolean extracted, String gt, Map<String, byte[]> train) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Map<String, byte[]> gtMember = Map.of("GT-final_test.csv", EncodedFixtures.text(gt));
    if (extracted) {
      EncodedFixtures.writeTree(dir, train);
      EncodedFixtures.writeTree(dir, TEST);
      EncodedFixtures.writeTree(dir, gtMember);
    } else {
      EncodedFixtures.zip(dir.resolve("GTSRB_Final_Training_Images.zip"), train);
      EncodedFixtures.zip(dir.resolve("GTSRB_Final_Test_Images.zip"), TEST);
      EncodedFixtures.zip(dir.resolve("GTSRB_Final_Test_GT.zip"), gtMember);
    }
    return dir;
  }

  @Test
  void zipsAndFoldersGiveTheOfficialSplitsPixelExact() throws IOException {
    ShardManifest previous = null;
    for (boolean extracted : List.of(true, false)) {
      Path out = tmp.resolve("gtsrb-out-" + extracted);
      ShardManifest m = TransferFixtures.writer(spark).write(new GtsrbSource(download("gtsrb-" + extracted, extracted,
          GT, TRAIN).toString(), TransferFixtures.CONF), out.toString());
      assertEquals(List.of("0", "1", "2"), m.classNames());
      assertEquals(6, TransferFixtures.records(m, "train"));
      ShardStore store = TransferFixtures.open(out);
      Map<String, Integer> train = new HashMap<>();
      TRAIN.keySet().stream().filter(n -> n.endsWith(".ppm"))
          .forEach(n -> train.put(n, Integer.parseInt(n.substring(TR.length(), TR.length() + 5))));
      TransferFixtures.assertSplit(spark, store, "train", train, TRAIN);
      TransferFixtures.assertSplit(spark, store, "test", Map.of(TE + "00000.ppm", 2, TE + "00001.ppm", 0), TEST);
      // Pixel-exact against the image the PPM was written from (PPM is lossless).
      Map<String, Row> rows = TransferFixtures.rowsBySource(spark, store, "test");
      byte[] stored = ImageDecoder.decode(rows.get(TE + "00001.ppm").getAs(ShardSchema.PIXELS), "t").pixels();
      assertArrayEquals(ImageFixtures.pixels(ImageFixtures.rgb(17, 40, 21)), stored);
      assertEquals("pnm", rows.get(TE + "00001.ppm").getAs(ShardSchema.ENCODING));
      if (previous != null) {
        for (String split : List.of("train", "test")) {
          assertEquals(previous.splits().get(split).shards(), m.splits().get(split).shards(), split);
        }
        assertEquals("GTSRB_Final_Test_GT.zip", m.splits().get("test").sourceFiles().get(1).name());
      }
      previous = m;
    }
  }

  @Test
  void badCsvRowsAreErrorsNamingFileAndLine() throws IOException {
    assertBad("unknown", GT + "00001.ppm;40;17;1;2;3;4;43\n", TRAIN,
        "GT-final_test.csv: line 4: unknown ClassId \\(training classes are 0..2\\): 43");
    assertBad("missing", H + "00007.ppm;40;17;1;2;3;4;1\n", TRAIN,
        "GT-final_test.csv: line 2: missing image: " + TE + "00007.ppm");
    assertBad("malformed", H + "00000.ppm;40;17;1\n", TRAIN,
        "GT-final_test.csv: line 2: malformed line, expected Filename;.*: 00000.ppm;40;17;1");
    assertBad("header", "Filename,Width\n", TRAIN, "GT-final_test.csv: line 1: malformed header, expected .*");
    String csv = TR + "00001/GT-00001.csv";
    assertBad("folder", GT, TransferFixtures.with(TRAIN, csv, H + "00000_00002.ppm;29;30;5;5;24;25;2\n"),
        TR + "00001/GT-00001.csv: line 2: ClassId is not the folder's class 1: 2");
  }

  private static void assertBad(String name, String gt, Map<String, byte[]> train, String regex) throws IOException {
    for (boolean extracted : List.of(true, false)) {
      Path dir = download("bad-" + name + extracted, extracted, gt, train);
      DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> TransferFixtures.writer(spark)
          .write(new GtsrbSource(dir.toString(), TransferFixtures.CONF), tmp.resolve("bad-out").toString()));
      assertTrue(e.getMessage().matches("Cannot read file:.*/" + regex), e.getMessage());
    }
  }
}
