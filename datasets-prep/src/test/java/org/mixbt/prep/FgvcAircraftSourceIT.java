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

/** FGVC-Aircraft 2013b's published layout: variant and family labels, trainval, and every bad split line. */
class FgvcAircraftSourceIT {
  static SparkSession spark;
  @TempDir static Path tmp;
  static final String D = "fgvc-aircraft-2013b/data/";
  static final Map<String, byte[]> MEMBERS = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    spark = TransferFixtures.spark("FgvcAircraftSourceIT");
    MEMBERS.put(D + "variants.txt", EncodedFixtures.text("707-320\nA300B4\nDHC-1\n"));
    MEMBERS.put(D + "families.txt", EncodedFixtures.text("Boeing 707\nA300\nDHC-1\n"));
    String[] ids = {"1025794", "0056978", "2233244", "0123456"};
    for (int i = 0; i < ids.length; i++) {
      MEMBERS.put(D + "images/" + ids[i] + ".jpg", EncodedFixtures.jpeg(30 + i, 40, 60 + i));
    }
    MEMBERS.put(D + "images_variant_train.txt", EncodedFixtures.text("1025794 707-320\n0056978 DHC-1\n"));
    MEMBERS.put(D + "images_variant_val.txt", EncodedFixtures.text("2233244 A300B4\n"));
    MEMBERS.put(D + "images_variant_trainval.txt", EncodedFixtures.text("1025794 707-320\n0056978 DHC-1\n"
        + "2233244 A300B4\n"));
    MEMBERS.put(D + "images_variant_test.txt", EncodedFixtures.text("0123456 A300B4\n"));
    MEMBERS.put(D + "images_family_train.txt", EncodedFixtures.text("1025794 Boeing 707\n0056978 DHC-1\n"));
    MEMBERS.put(D + "images_family_val.txt", EncodedFixtures.text("2233244 A300\n"));
    MEMBERS.put(D + "images_family_test.txt", EncodedFixtures.text("0123456 A300\n"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void variantsFromTheArchiveFamiliesFromTheFolder() throws IOException {
    Path tgz = tmp.resolve("fgvc-aircraft-2013b.tar.gz");
    TransferFixtures.tgz(tgz, MEMBERS);
    ShardManifest v = TransferFixtures.writer(spark).write(new FgvcAircraftSource(tgz.toString(),
        FgvcAircraftSource.Level.VARIANT, true, TransferFixtures.CONF), tmp.resolve("fgvc-v").toString());
    assertEquals(List.of("707-320", "A300B4", "DHC-1"), v.classNames());
    assertEquals("fgvc-aircraft-variant", v.dataset());
    ShardStore store = TransferFixtures.open(tmp.resolve("fgvc-v"));
    String i = D + "images/";
    TransferFixtures.assertSplit(spark, store, "train", Map.of(i + "1025794.jpg", 0, i + "0056978.jpg", 2), MEMBERS);
    TransferFixtures.assertSplit(spark, store, "val", Map.of(i + "2233244.jpg", 1), MEMBERS);
    TransferFixtures.assertSplit(spark, store, "trainval", Map.of(i + "1025794.jpg", 0, i + "0056978.jpg", 2,
        i + "2233244.jpg", 1), MEMBERS);
    TransferFixtures.assertSplit(spark, store, "test", Map.of(i + "0123456.jpg", 1), MEMBERS);

    EncodedFixtures.writeTree(tmp.resolve("fgvc"), MEMBERS);
    ShardManifest f = TransferFixtures.writer(spark).write(new FgvcAircraftSource(tmp.resolve("fgvc").toString(),
        FgvcAircraftSource.Level.FAMILY, false, TransferFixtures.CONF), tmp.resolve("fgvc-f").toString());
    assertEquals(List.of("Boeing 707", "A300", "DHC-1"), f.classNames(), "names with spaces, file order");
    assertEquals(List.of("train", "val", "test"), List.copyOf(f.splits().keySet()));
    TransferFixtures.assertSplit(spark, TransferFixtures.open(tmp.resolve("fgvc-f")), "train",
        Map.of(i + "1025794.jpg", 0, i + "0056978.jpg", 2), MEMBERS);
  }

  @Test
  void badSplitLinesAreErrorsNamingFileAndLine() throws IOException {
    String test = D + "images_variant_test.txt";
    assertBad("unknown", TransferFixtures.with(MEMBERS, test, "0123456 A380\n"),
        "images_variant_test.txt: line 1: unknown variant \\(not in variants.txt\\): A380");
    assertBad("missing", TransferFixtures.with(MEMBERS, test, "0123456 A300B4\n9999999 A300B4\n"),
        "images_variant_test.txt: line 2: missing image: " + D + "images/9999999.jpg");
    assertBad("malformed", TransferFixtures.with(MEMBERS, test, "0123456\n"),
        "images_variant_test.txt: line 1: malformed line, expected <image id> <variant>: 0123456");
  }

  private static void assertBad(String name, Map<String, byte[]> members, String regex) throws IOException {
    Path folder = tmp.resolve("bad-" + name);
    EncodedFixtures.writeTree(folder, members);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> TransferFixtures.writer(spark)
        .write(new FgvcAircraftSource(folder.toString(), FgvcAircraftSource.Level.VARIANT, false,
            TransferFixtures.CONF), tmp.resolve("bad-out").toString()));
    assertTrue(e.getMessage().matches("Cannot read file:.*/" + D + regex), e.getMessage());
  }
}
