package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.data.image.DecodedImage;
import org.mixbt.core.data.image.ImageDecoder;
import org.mixbt.core.data.image.ImageEncoder;
import org.mixbt.core.data.image.ImageFixtures;
import org.mixbt.core.data.image.ShortSideResize;
import org.mixbt.core.shard.ShardManifest;
import org.mixbt.core.shard.ShardSchema;
import org.mixbt.core.shard.ShardStore;

/** The distributed encoded-image pipeline on a local[2] SparkSession, with each publisher's layout built here. */
class EncodedShardWriterIT {
  static SparkSession spark;
  @TempDir static Path tmp;
  static final Configuration CONF = new Configuration();
  /** The ImageFolder fixture: relative path below the root → file bytes. */
  static final Map<String, byte[]> TREE = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws IOException {
    spark = SparkSession.builder().master("local[2]").appName("EncodedShardWriterIT")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    TREE.put("train/cat/a.jpg", EncodedFixtures.jpeg(20, 30, 1));
    TREE.put("train/cat/b.png", EncodedFixtures.png(25, 18, 2));
    TREE.put("train/cat/bad.jpg", ImageFixtures.corruptJpeg(3));
    TREE.put("train/cat/c.JPEG", EncodedFixtures.png(16, 16, 4)); // a PNG named .JPEG, as in ImageNet
    TREE.put("train/cat/grey.jpg", EncodedFixtures.greyJpeg(21, 22, 5));
    TREE.put("train/cat/notes.txt", EncodedFixtures.text("not an image"));
    // Left out as Spark's file sources leave them out (torchvision would list them).
    TREE.put("train/cat/._a.jpg", EncodedFixtures.text("macOS resource fork"));
    TREE.put("train/.ipynb_checkpoints/x.jpg", EncodedFixtures.jpeg(8, 8, 11));
    TREE.put("train/dog/d1.jpg", EncodedFixtures.jpeg(40, 33, 6));
    TREE.put("train/dog/d2.jpeg", EncodedFixtures.jpeg(12, 19, 7));
    TREE.put("train/dog/sub/e.jpg", EncodedFixtures.jpeg(17, 17, 8));
    TREE.put("val/cat/v1.jpg", EncodedFixtures.jpeg(23, 29, 9));
    TREE.put("val/dog/v2.png", EncodedFixtures.png(14, 27, 10));
    EncodedFixtures.writeTree(tmp.resolve("tree"), TREE);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  // ---- ImageFolder

  @Test
  void imageFolderKeepsBytesAndSkipsTheCorruptFile() throws IOException {
    Path out = tmp.resolve("folder-out");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ShardManifest m = writer(3, 0, false, log).write(folder(), out.toString());
    assertEquals(List.of("cat", "dog"), m.classNames());
    assertEquals(ShardManifest.STORAGE_ENCODED, m.storage());
    assertNull(m.shape(), "sizes vary");
    assertEquals(new ShardManifest.ImageSizes(12, 40, 16, 33, (20 + 25 + 16 + 21 + 40 + 12 + 17 + 23 + 14) / 9.0,
        (30 + 18 + 16 + 22 + 33 + 19 + 17 + 29 + 27) / 9.0), m.imageSizes());
    assertEquals(0, m.resizeShortSide());
    ShardManifest.Split train = m.splits().get("train");
    assertEquals(7, train.records());
    assertEquals(3, train.shards().size());
    assertEquals(1, train.skipped().size());
    assertEquals("cat/bad.jpg", train.skipped().get(0).source());
    assertTrue(train.skipped().get(0).reason().startsWith("unreadable jpeg: "), train.skipped().get(0).reason());
    assertTrue(log.toString(StandardCharsets.UTF_8).contains("Skipped cat/bad.jpg: unreadable jpeg"), log.toString());
    assertEquals(List.of(), m.splits().get("val").skipped());
    assertEquals(2, m.splits().get("val").records());
    assertEquals("train/", train.sourceFiles().get(0).name());
    ShardStore store = ShardStore.open(out.toString(), CONF);
    store.verify();

    // Ids: ImageFolder's order (class, then path), counted over every listed file, the skipped one included.
    List<String> trainNames = List.of("cat/a.jpg", "cat/b.png", "cat/bad.jpg", "cat/c.JPEG", "cat/grey.jpg",
        "dog/d1.jpg", "dog/d2.jpeg", "dog/sub/e.jpg");
    Map<Long, Row> rows = rows(store, "train");
    assertEquals(7, rows.size());
    for (int id = 0; id < trainNames.size(); id++) {
      String name = trainNames.get(id);
      Row row = rows.get((long) id);
      if (name.equals("cat/bad.jpg")) {
        assertNull(row);
        continue;
      }
      byte[] original = TREE.get("train/" + name);
      assertEquals(name, row.getAs(ShardSchema.SOURCE));
      assertEquals(name.startsWith("cat") ? 0 : 1, row.<Integer>getAs(ShardSchema.LABEL));
      assertArrayEquals(original, row.getAs(ShardSchema.PIXELS), "bytes kept: " + name);
      DecodedImage expected = ImageDecoder.decode(original, name);
      DecodedImage stored = ImageDecoder.decode(row.getAs(ShardSchema.PIXELS), name);
      assertArrayEquals(expected.pixels(), stored.pixels(), "pixels: " + name);
      assertEquals(expected.format(), row.getAs(ShardSchema.ENCODING));
      assertEquals(expected.height(), row.<Integer>getAs(ShardSchema.HEIGHT));
      assertEquals(expected.width(), row.<Integer>getAs(ShardSchema.WIDTH));
      assertEquals(3, row.<Integer>getAs(ShardSchema.CHANNELS));
    }
    assertEquals("png", rows.get(3L).getAs(ShardSchema.ENCODING), "format from the bytes, not the name");
    DecodedImage grey = ImageDecoder.decode(rows.get(4L).getAs(ShardSchema.PIXELS), "grey");
    for (int i = 0; i < grey.pixels().length; i += 3) {
      assertEquals(grey.pixels()[i], grey.pixels()[i + 1]);
      assertEquals(grey.pixels()[i], grey.pixels()[i + 2]);
    }

    // The shard order is the Fisher-Yates permutation of the kept ids, cut into equal slices.
    int[] positions = EncodedShardWriter.positions(8, Set.of(2L), SparkShardWriter.splitSeed(0, "train"));
    List<Long> expectedOrder = new ArrayList<>();
    for (int p = 0; p < 7; p++) {
      for (int id = 0; id < 8; id++) {
        if (positions[id] == p) {
          expectedOrder.add((long) id);
        }
      }
    }
    assertEquals(expectedOrder, idsInShardOrder(store, "train"));
    assertEquals(List.of(2L, 2L, 3L), train.shards().stream().map(ShardManifest.Shard::records).collect(Collectors.toList()));

    // Train statistics: exactly those of the decoded kept images.
    double[] sum = new double[3];
    double[] sq = new double[3];
    long n = 0;
    for (String name : trainNames) {
      if (name.equals("cat/bad.jpg")) {
        continue;
      }
      byte[] px = ImageDecoder.decode(TREE.get("train/" + name), name).pixels();
      for (int i = 0; i < px.length; i++) {
        double v = (px[i] & 0xFF) / 255.0;
        sum[i % 3] += v;
        sq[i % 3] += v * v;
      }
      n += px.length / 3;
    }
    for (int c = 0; c < 3; c++) {
      double mean = sum[c] / n;
      assertEquals(mean, m.normalization().mean().get(c), 1e-12);
      assertEquals(Math.sqrt(sq[c] / n - mean * mean), m.normalization().std().get(c), 1e-12);
    }
    Map<Long, Row> val = rows(store, "val");
    assertEquals("cat/v1.jpg", val.get(0L).getAs(ShardSchema.SOURCE));
    assertEquals(1, val.get(1L).<Integer>getAs(ShardSchema.LABEL));
    assertNoTempDirs();
  }

  @Test
  void rerunIsByteIdentical() throws IOException {
    Path a = tmp.resolve("idem-a");
    Path b = tmp.resolve("idem-b");
    ShardManifest first = writer(2, 5, false, new ByteArrayOutputStream()).write(folder(), a.toString());
    String json = Files.readString(a.resolve("manifest.json"));
    assertThrows(IllegalStateException.class, () -> writer(2, 5, false, new ByteArrayOutputStream())
        .write(folder(), a.toString()));
    writer(2, 5, true, new ByteArrayOutputStream()).write(folder(), a.toString());
    assertEquals(json, Files.readString(a.resolve("manifest.json")), "same sha256 for every shard");
    ShardManifest other = writer(2, 5, false, new ByteArrayOutputStream()).write(folder(), b.toString());
    assertEquals(first.splits(), other.splits());
    assertNoTempDirs();
  }

  @Test
  void resizeShortSideReencodes() throws IOException {
    Path out = tmp.resolve("resized-out");
    ShardManifest m = new EncodedShardWriter(spark, 2, 0, false, "test", 16, new PrintStream(new ByteArrayOutputStream()))
        .write(folder(), out.toString());
    assertEquals(16, m.resizeShortSide());
    assertEquals(16, m.imageSizes().minHeight() < m.imageSizes().minWidth() ? m.imageSizes().minHeight()
        : m.imageSizes().minWidth());
    Map<Long, Row> rows = rows(ShardStore.open(out.toString(), CONF), "train");
    for (Row row : rows.values()) {
      String name = row.getAs(ShardSchema.SOURCE);
      byte[] original = TREE.get("train/" + name);
      DecodedImage full = ImageDecoder.decode(original, name);
      DecodedImage resized = ShortSideResize.resize(full, 16);
      DecodedImage stored = ImageDecoder.decode(row.getAs(ShardSchema.PIXELS), name);
      assertEquals(resized.height(), stored.height(), name);
      assertEquals(resized.width(), stored.width(), name);
      assertEquals(stored.height(), row.<Integer>getAs(ShardSchema.HEIGHT));
      assertEquals(stored.width(), row.<Integer>getAs(ShardSchema.WIDTH));
      assertEquals(Math.min(stored.height(), stored.width()), 16);
      if (resized == full) {
        assertArrayEquals(original, row.getAs(ShardSchema.PIXELS), "already 16: bytes untouched: " + name);
      } else if (full.format().equals("jpeg")) {
        assertEquals("jpeg", row.getAs(ShardSchema.ENCODING));
        // Stored bytes are exactly the re-encoded resize; JPEG q95 at 4:2:0 stays near it (the fixtures' noisy
        // chroma is harder on it than photographs are).
        assertArrayEquals(ImageEncoder.encode(resized), row.getAs(ShardSchema.PIXELS), name);
        double meanDiff = meanDiff(resized.pixels(), stored.pixels());
        assertTrue(meanDiff < 8, name + ": JPEG q95 close to the resized pixels: mean |diff| " + meanDiff);
      } else {
        assertEquals("png", row.getAs(ShardSchema.ENCODING));
        assertArrayEquals(resized.pixels(), stored.pixels(), name + ": PNG lossless");
      }
    }
  }

  @Test
  void emptyClassFolderAndUnknownValClassAreErrors() throws IOException {
    Path root = tmp.resolve("tree-empty");
    EncodedFixtures.writeTree(root, Map.of("train/a/x.jpg", EncodedFixtures.jpeg(8, 8, 1),
        "train/b/readme.txt", EncodedFixtures.text("no images here")));
    Path out = tmp.resolve("empty-out");
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> writer(2, 0, false,
        new ByteArrayOutputStream()).write(ImageFolderSource.ofRoot("t", root.toString(), CONF), out.toString()));
    assertEquals("Cannot read file:" + root.resolve("train/b") + ": empty class folder: no file with an image extension "
        + ImageFolderSource.EXTENSIONS, e.getMessage());
    assertFalse(Files.exists(out));
    Path root2 = tmp.resolve("tree-val");
    EncodedFixtures.writeTree(root2, Map.of("train/a/x.jpg", EncodedFixtures.jpeg(8, 8, 1),
        "val/zebra/y.jpg", EncodedFixtures.jpeg(8, 8, 2)));
    DatasetFormatException v = assertThrows(DatasetFormatException.class, () -> writer(2, 0, false,
        new ByteArrayOutputStream()).write(ImageFolderSource.ofRoot("t", root2.toString(), CONF), out.toString()));
    assertEquals("Cannot read file:" + root2.resolve("val/zebra") + ": class folder not among the train classes: zebra",
        v.getMessage());
    assertFalse(Files.exists(out));
    assertNoTempDirs();
  }

  @Test
  void staleTemporaryOutputsAreSwept() throws IOException {
    Path out = tmp.resolve("sweep-out");
    Path stale = tmp.resolve("sweep-out._tmp-0b5e7c1a-dead");
    Files.createDirectories(stale.resolve("train"));
    Files.write(stale.resolve("train/part-00000.parquet"), new byte[] {1, 2, 3});
    FileTime longAgo = FileTime.fromMillis(System.currentTimeMillis() - ShardOutput.STALE_AFTER_MILLIS - 60_000);
    for (Path p : List.of(stale.resolve("train/part-00000.parquet"), stale.resolve("train"), stale)) {
      Files.setLastModifiedTime(p, longAgo);
    }
    // Another prep writing the same output right now: an old folder, but a file written a minute ago.
    Path running = tmp.resolve("sweep-out._tmp-1c2d3e4f-live");
    Files.createDirectories(running.resolve("train"));
    Files.write(running.resolve("train/part-00000.parquet"), new byte[] {4});
    Files.setLastModifiedTime(running.resolve("train"), longAgo);
    Files.setLastModifiedTime(running, longAgo);
    Path unrelated = tmp.resolve("sweep-outer._tmp-keep");
    Files.createDirectories(unrelated);
    Files.setLastModifiedTime(unrelated, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    writer(1, 0, false, log).write(folder(), out.toString());
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(running), "a temporary folder still being written is a running prep's");
    assertTrue(Files.exists(unrelated), "another output's temporary folder is not ours");
    assertTrue(log.toString(StandardCharsets.UTF_8).contains(
        "Removed stale temporary output of an earlier, interrupted prep: file:" + stale), log.toString());
    Files.delete(unrelated);
    Files.walk(running).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
  }

  @Test
  void fewerRecordsThanShardsGiveOneShardPerRecordAndAnUnwritableOutputIsNamedAtOnce() throws IOException {
    Path out = tmp.resolve("many-shards");
    ShardManifest m = writer(50, 0, false, new ByteArrayOutputStream()).write(folder(), out.toString());
    for (ShardManifest.Split split : m.splits().values()) {
      assertEquals(split.records(), split.shards().size(), "no empty shards");
      assertTrue(split.shards().stream().allMatch(sh -> sh.records() == 1));
    }
    // A location no one can create folders in, even root: below a regular file.
    Path file = tmp.resolve("a-file");
    Files.write(file, new byte[] {1});
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> writer(2, 0, false, new ByteArrayOutputStream()).write(folder(), file.resolve("out").toString()));
    assertTrue(e.getMessage().startsWith("Cannot write shards to file:" + file.resolve("out") + ": cannot create "),
        e.getMessage());
  }

  // ---- ImageNet train tar of tars

  static Map<String, Map<String, byte[]>> imagenetClasses() {
    Map<String, Map<String, byte[]>> classes = new LinkedHashMap<>();
    // Publisher order is not sorted: labels must still follow the sorted wnids.
    classes.put("n02085620", new LinkedHashMap<>(Map.of("n02085620_7.JPEG", EncodedFixtures.jpeg(30, 20, 21),
        "n02085620_10.JPEG", EncodedFixtures.greyJpeg(16, 24, 22))));
    classes.put("n01440764", new LinkedHashMap<>(Map.of("n01440764_3.JPEG", EncodedFixtures.jpeg(18, 18, 23),
        "n01440764_1.JPEG", EncodedFixtures.png(20, 26, 24), "n01440764_2.JPEG", ImageFixtures.corruptJpeg(25))));
    return classes;
  }

  @Test
  void imagenetTrainTarIsStreamed() throws IOException {
    Path tar = tmp.resolve("ILSVRC2012_img_train.tar");
    Files.write(tar, EncodedFixtures.imagenetTrainTar(imagenetClasses()));
    Path out = tmp.resolve("imagenet-out");
    ShardManifest m = writer(2, 1, false, new ByteArrayOutputStream())
        .write(new ImageNetTrainTarSource(tar.toString(), CONF), out.toString());
    assertEquals(List.of("n01440764", "n02085620"), m.classNames());
    ShardManifest.Split train = m.splits().get("train");
    assertEquals(4, train.records());
    assertEquals(List.of(new ShardManifest.Skipped("n01440764/n01440764_2.JPEG", train.skipped().get(0).reason())),
        train.skipped());
    assertEquals(new ShardManifest.SourceFile("ILSVRC2012_img_train.tar", Files.size(tar),
        ShardStore.sha256(Files.newInputStream(tar))), train.sourceFiles().get(0));
    ShardStore store = ShardStore.open(out.toString(), CONF);
    store.verify();
    Map<Long, Row> rows = rows(store, "train");
    List<String> names = List.of("n01440764/n01440764_1.JPEG", "n01440764/n01440764_2.JPEG",
        "n01440764/n01440764_3.JPEG", "n02085620/n02085620_10.JPEG", "n02085620/n02085620_7.JPEG");
    for (int id = 0; id < names.size(); id++) {
      if (id == 1) {
        assertNull(rows.get(1L));
        continue;
      }
      Row row = rows.get((long) id);
      String[] parts = names.get(id).split("/");
      assertEquals(names.get(id), row.getAs(ShardSchema.SOURCE));
      assertEquals(id < 3 ? 0 : 1, row.<Integer>getAs(ShardSchema.LABEL));
      assertArrayEquals(imagenetClasses().get(parts[0]).get(parts[1]), row.getAs(ShardSchema.PIXELS));
    }
    assertEquals("png", rows.get(0L).getAs(ShardSchema.ENCODING));
    try (Stream<Path> files = Files.walk(out)) {
      assertTrue(files.noneMatch(p -> p.toString().contains("_staging")), "staging removed before the commit");
    }
    assertNoTempDirs();
  }

  @Test
  void badImagenetTarsAreErrors() throws IOException {
    Path out = tmp.resolve("bad-tar-out");
    Map<String, byte[]> evilClass = new LinkedHashMap<>();
    evilClass.put("../../evil.JPEG", EncodedFixtures.jpeg(8, 8, 1));
    Map<String, byte[]> outer = new LinkedHashMap<>();
    outer.put("n01440764.tar", EncodedFixtures.tar(evilClass));
    Path evil = tmp.resolve("evil.tar");
    Files.write(evil, EncodedFixtures.tar(outer));
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> writer(2, 0, false,
        new ByteArrayOutputStream()).write(new ImageNetTrainTarSource(evil.toString(), CONF), out.toString()));
    assertEquals("Cannot read file:" + evil + "!n01440764.tar: entry path escapes the output: ../../evil.JPEG",
        e.getMessage());
    assertFalse(Files.exists(tmp.resolve("evil.JPEG")));

    Path empty = tmp.resolve("empty-class.tar");
    Files.write(empty, EncodedFixtures.imagenetTrainTar(Map.of("n01440764", Map.of())));
    assertEquals("Cannot read file:" + empty + ": empty class archive: n01440764.tar",
        assertThrows(DatasetFormatException.class, () -> writer(2, 0, false, new ByteArrayOutputStream())
            .write(new ImageNetTrainTarSource(empty.toString(), CONF), out.toString())).getMessage());

    byte[] full = EncodedFixtures.imagenetTrainTar(imagenetClasses());
    Path truncated = tmp.resolve("truncated.tar");
    Files.write(truncated, java.util.Arrays.copyOf(full, full.length / 2 + 100));
    DatasetFormatException t = assertThrows(DatasetFormatException.class, () -> writer(2, 0, false,
        new ByteArrayOutputStream()).write(new ImageNetTrainTarSource(truncated.toString(), CONF), out.toString()));
    assertTrue(t.getMessage().startsWith("Cannot read file:" + truncated + ": unreadable tar: "), t.getMessage());
    assertFalse(Files.exists(out));
    assertNoTempDirs();
  }

  // ---- Tiny-ImageNet

  static Map<String, byte[]> tinyMembers(String annotations) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    String r = "tiny-imagenet-200/";
    m.put(r + "wnids.txt", EncodedFixtures.text("n09999999\nn01443537\n")); // not sorted: file order is class order
    m.put(r + "words.txt", EncodedFixtures.text("n00001740\tentity\nn01443537\tgoldfish, Carassius auratus\n"
        + "n09999999\tsomething else\n"));
    m.put(r + "train/n09999999/n09999999_boxes.txt", EncodedFixtures.text("n09999999_0.JPEG\t0\t0\t63\t63\n"));
    m.put(r + "train/n09999999/images/n09999999_0.JPEG", EncodedFixtures.jpeg(64, 64, 31));
    m.put(r + "train/n09999999/images/n09999999_1.JPEG", EncodedFixtures.greyJpeg(64, 64, 32));
    m.put(r + "train/n01443537/images/n01443537_0.JPEG", EncodedFixtures.jpeg(64, 64, 33));
    m.put(r + "val/images/val_0.JPEG", EncodedFixtures.jpeg(64, 64, 34));
    m.put(r + "val/images/val_1.JPEG", EncodedFixtures.jpeg(64, 64, 35));
    m.put(r + "val/val_annotations.txt", EncodedFixtures.text(annotations));
    m.put(r + "test/images/test_0.JPEG", EncodedFixtures.jpeg(64, 64, 36));
    return m;
  }

  static final String ANNOTATIONS = "val_0.JPEG\tn01443537\t0\t1\t60\t61\nval_1.JPEG\tn09999999\t3\t4\t50\t51\n";

  @Test
  void tinyImagenetZipAndFolderGiveTheSameRawShards() throws IOException {
    Map<String, byte[]> members = tinyMembers(ANNOTATIONS);
    Path zip = tmp.resolve("tiny-imagenet-200.zip");
    EncodedFixtures.zip(zip, members);
    Path fromZip = tmp.resolve("tiny-zip-out");
    ShardManifest m = writer(2, 3, false, new ByteArrayOutputStream())
        .write(new TinyImageNetSource(zip.toString(), CONF), fromZip.toString());
    assertEquals(List.of("something else", "goldfish, Carassius auratus"), m.classNames());
    assertEquals(ShardManifest.STORAGE_RAW, m.storage());
    assertEquals(new ShardManifest.ImageShape(64, 64, 3), m.shape());
    assertEquals(3, m.splits().get("train").records());
    assertEquals(2, m.splits().get("val").records());
    assertEquals("tiny-imagenet-200.zip", m.splits().get("val").sourceFiles().get(0).name());
    ShardStore store = ShardStore.open(fromZip.toString(), CONF);
    store.verify();
    Map<Long, Row> train = rows(store, "train");
    String[] trainNames = {"train/n09999999/images/n09999999_0.JPEG", "train/n09999999/images/n09999999_1.JPEG",
        "train/n01443537/images/n01443537_0.JPEG"};
    for (int id = 0; id < 3; id++) {
      Row row = train.get((long) id);
      assertEquals(trainNames[id], row.getAs(ShardSchema.SOURCE));
      assertEquals(id < 2 ? 0 : 1, row.<Integer>getAs(ShardSchema.LABEL));
      assertEquals(ShardSchema.RAW, row.getAs(ShardSchema.ENCODING));
      assertArrayEquals(ImageDecoder.decode(members.get("tiny-imagenet-200/" + trainNames[id]), "f").pixels(),
          row.getAs(ShardSchema.PIXELS), trainNames[id]);
    }
    Map<Long, Row> val = rows(store, "val");
    assertEquals(1, val.get(0L).<Integer>getAs(ShardSchema.LABEL));
    assertEquals(0, val.get(1L).<Integer>getAs(ShardSchema.LABEL));
    assertArrayEquals(ImageDecoder.decode(members.get("tiny-imagenet-200/val/images/val_1.JPEG"), "f").pixels(),
        val.get(1L).getAs(ShardSchema.PIXELS));

    Path folder = tmp.resolve("tiny-folder");
    EncodedFixtures.writeTree(folder, members);
    Path fromFolder = tmp.resolve("tiny-folder-out");
    ShardManifest f = writer(2, 3, false, new ByteArrayOutputStream())
        .write(new TinyImageNetSource(folder.resolve("tiny-imagenet-200").toString(), CONF), fromFolder.toString());
    for (String split : List.of("train", "val")) {
      assertEquals(m.splits().get(split).shards(), f.splits().get(split).shards(), "same shards from zip and folder");
    }
    assertEquals(m.normalization(), f.normalization());
    assertNoTempDirs();
  }

  @Test
  void badTinyAnnotationsAreErrorsNamingTheLine() throws IOException {
    Path out = tmp.resolve("tiny-bad-out");
    Path unknown = tmp.resolve("tiny-unknown.zip");
    EncodedFixtures.zip(unknown, tinyMembers(ANNOTATIONS + "val_1.JPEG\tn07777777\t0\t0\t1\t1\n"));
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> writer(2, 0, false,
        new ByteArrayOutputStream()).write(new TinyImageNetSource(unknown.toString(), CONF), out.toString()));
    assertTrue(e.getMessage().matches("Cannot read file:.*/val/val_annotations.txt: line 3: unknown wnid "
        + "\\(not in wnids.txt\\): n07777777"), e.getMessage());
    Path missing = tmp.resolve("tiny-missing.zip");
    EncodedFixtures.zip(missing, tinyMembers("val_7.JPEG\tn01443537\t0\t0\t1\t1\n"));
    DatasetFormatException m = assertThrows(DatasetFormatException.class, () -> writer(2, 0, false,
        new ByteArrayOutputStream()).write(new TinyImageNetSource(missing.toString(), CONF), out.toString()));
    assertTrue(m.getMessage().matches("Cannot read file:.*/val/val_annotations.txt: line 1: missing image "
        + "val/images/val_7.JPEG: val_annotations.txt line 1"), m.getMessage());
    assertFalse(Files.exists(out));
    assertNoTempDirs();
  }

  // ---- helpers

  // ---- the command line

  @Test
  void encodedCommandsRunThroughTheCommandLineAndVerify() throws IOException {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    Path folderOut = tmp.resolve("cli-folder");
    assertEquals(0, PrepJob.run(new String[] {"imagefolder", "--input", tmp.resolve("tree").toString(), "--dataset",
        "pets", "--output", folderOut.toString(), "--shards", "2", "--resize-short-side", "12"}, quiet, errStream),
        err.toString());
    ShardManifest m = ShardStore.open(folderOut.toString(), CONF).manifest();
    assertEquals(List.of("cat", "dog"), m.classNames());
    assertEquals(12, m.resizeShortSide());
    assertEquals(12, Math.min(m.imageSizes().minHeight(), m.imageSizes().minWidth()));
    assertEquals(0, PrepJob.run(new String[] {"verify", "--input", folderOut.toString()}, quiet, errStream),
        err.toString());

    Path zip = tmp.resolve("cli-tiny-imagenet-200.zip");
    EncodedFixtures.zip(zip, tinyMembers(ANNOTATIONS));
    Path tinyOut = tmp.resolve("cli-tiny");
    assertEquals(0, PrepJob.run(new String[] {"tiny-imagenet", "--input", zip.toString(), "--output",
        tinyOut.toString()}, quiet, errStream), err.toString());
    assertEquals(0, PrepJob.run(new String[] {"verify", "--input", tinyOut.toString()}, quiet, errStream),
        err.toString());

    err.reset();
    // Both an --input root and explicit split roots: a usage error, nothing written.
    assertEquals(2, PrepJob.run(new String[] {"imagefolder", "--input", tmp.resolve("tree").toString(), "--train",
        tmp.resolve("tree/train").toString(), "--dataset", "pets", "--output", tmp.resolve("cli-bad").toString()},
        quiet, errStream), err.toString());
    assertTrue(err.toString().contains("give either --input ROOT or --train DIR"), err.toString());
    err.reset();
    // A Tiny-ImageNet annotation naming an unknown class: a data error naming the file.
    Path badZip = tmp.resolve("cli-bad-tiny.zip");
    EncodedFixtures.zip(badZip, tinyMembers("val_0.JPEG\tn00000000\t0\t1\t60\t61\n"));
    assertEquals(3, PrepJob.run(new String[] {"tiny-imagenet", "--input", badZip.toString(), "--output",
        tmp.resolve("cli-bad").toString()}, quiet, errStream), err.toString());
    assertTrue(err.toString().contains("val_annotations.txt"), err.toString());
    assertFalse(Files.exists(tmp.resolve("cli-bad")));
    assertNoTempDirs();
  }

  static ImageFolderSource folder() throws IOException {
    return ImageFolderSource.ofRoot("pets", tmp.resolve("tree").toString(), CONF);
  }

  static EncodedShardWriter writer(int shards, long seed, boolean overwrite, ByteArrayOutputStream log) {
    return new EncodedShardWriter(spark, shards, seed, overwrite, "test", 0,
        new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  static Map<Long, Row> rows(ShardStore store, String split) {
    Map<Long, Row> byId = new HashMap<>();
    for (Row row : spark.read().parquet(PrepJobIT.paths(store, split)).collectAsList()) {
      assertNull(byId.put(row.<Long>getAs(ShardSchema.ID), row), "duplicate id");
    }
    return byId;
  }

  static double meanDiff(byte[] a, byte[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
    }
    return (double) sum / a.length;
  }

  static List<Long> idsInShardOrder(ShardStore store, String split) {
    List<Long> ids = new ArrayList<>();
    for (String path : PrepJobIT.paths(store, split)) {
      spark.read().parquet(path).collectAsList().forEach(r -> ids.add(r.<Long>getAs(ShardSchema.ID)));
    }
    return ids;
  }

  static void assertNoTempDirs() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      List<String> leftovers = files.map(p -> p.getFileName().toString())
          .filter(n -> n.contains("._tmp-") || n.contains("._old-")).collect(Collectors.toList());
      assertEquals(List.of(), leftovers);
    }
  }
}
