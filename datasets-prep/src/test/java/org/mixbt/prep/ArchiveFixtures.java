package org.mixbt.prep;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Tiny CIFAR and STL-10 archives in the publishers' exact formats. Pixels and labels follow the formulas of
 * src/test/resources/cifar/make_cifar_python.py, which writes the python archives of the same images.
 */
final class ArchiveFixtures {
  static final List<String> CIFAR10_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
      "horse", "ship", "truck");
  /** Images per CIFAR-10 data_batch_1..5 (seeds 1..5); test_batch has 4 (seed 6). */
  static final int[] CIFAR10_BATCHES = {3, 2, 3, 2, 3};
  static final int CIFAR10_TEST = 4;
  /** CIFAR-100 train (seed 11) and test (seed 12). */
  static final int CIFAR100_TRAIN = 7;
  static final int CIFAR100_TEST = 5;

  private ArchiveFixtures() {}

  /** Byte k of record r of the file with this seed, in the publisher's CHW order (make_cifar_python.py: pixels). */
  static byte pixel(int seed, long index) {
    long n = (seed * 1000003L + index) * 2654435761L;
    return (byte) (((n & 0xFFFFFFFFL) >>> 13) & 0xFF);
  }

  static int cifar10Label(int seed, int r) {
    return (seed * 7 + r * 3) % 10;
  }

  static int cifar100Fine(int seed, int r) {
    return (seed * 13 + r * 37) % 100;
  }

  static int cifar100Coarse(int seed, int r) {
    return (cifar100Fine(seed, r) + r) % 20;
  }

  /** The CHW pixel bytes of record r (3072 of them). */
  static byte[] chw(int seed, int r) {
    byte[] out = new byte[3072];
    for (int k = 0; k < 3072; k++) {
      out[k] = pixel(seed, (long) r * 3072 + k);
    }
    return out;
  }

  /** Expected HWC pixels of record r, computed straight from the formula: HWC[y][x][c] = CHW[c][y][x]. */
  static byte[] hwc(int seed, int r) {
    byte[] out = new byte[3072];
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        for (int c = 0; c < 3; c++) {
          out[(y * 32 + x) * 3 + c] = pixel(seed, (long) r * 3072 + c * 1024 + y * 32 + x);
        }
      }
    }
    return out;
  }

  /** The members of cifar-10-binary.tar.gz, root folder included, in publisher order. */
  static Map<String, byte[]> cifar10BinaryMembers() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("cifar-10-batches-bin/batches.meta.txt", (String.join("\n", CIFAR10_NAMES) + "\n\n").getBytes(StandardCharsets.UTF_8));
    for (int b = 1; b <= 5; b++) {
      m.put("cifar-10-batches-bin/data_batch_" + b + ".bin", cifar10Bin(b, CIFAR10_BATCHES[b - 1]));
    }
    m.put("cifar-10-batches-bin/test_batch.bin", cifar10Bin(6, CIFAR10_TEST));
    m.put("cifar-10-batches-bin/readme.html", "<html>fixture</html>\n".getBytes(StandardCharsets.UTF_8));
    return m;
  }

  static byte[] cifar10Bin(int seed, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int r = 0; r < count; r++) {
      out.write(cifar10Label(seed, r));
      out.writeBytes(chw(seed, r));
    }
    return out.toByteArray();
  }

  static Map<String, byte[]> cifar100BinaryMembers() throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("cifar-100-binary/coarse_label_names.txt", lines(resourceNames("coarse_label_names")));
    m.put("cifar-100-binary/fine_label_names.txt", lines(resourceNames("fine_label_names")));
    m.put("cifar-100-binary/test.bin", cifar100Bin(12, CIFAR100_TEST));
    m.put("cifar-100-binary/train.bin", cifar100Bin(11, CIFAR100_TRAIN));
    return m;
  }

  static byte[] cifar100Bin(int seed, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int r = 0; r < count; r++) {
      out.write(cifar100Coarse(seed, r));
      out.write(cifar100Fine(seed, r));
      out.writeBytes(chw(seed, r));
    }
    return out.toByteArray();
  }

  /** CIFAR-100's 100 fine or 20 coarse names, as listed in the python generator. */
  static List<String> resourceNames(String key) throws IOException {
    String script = Files.readString(Path.of("src/test/resources/cifar/make_cifar_python.py"));
    String var = key.startsWith("fine") ? "CIFAR100_FINE" : "CIFAR100_COARSE";
    int start = script.indexOf(var + " = \"\"\"") + var.length() + 6;
    return List.of(script.substring(start, script.indexOf("\"\"\"", start)).trim().split("\\s+"));
  }

  static byte[] lines(List<String> names) {
    return (String.join("\n", names) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  // ---- STL-10: 3 x 96 x 96 column-major planes, labels 1..10

  static final List<String> STL_NAMES = List.of("airplane", "bird", "car", "cat", "deer", "dog", "horse", "monkey",
      "ship", "truck");

  /** Image i of an STL-10 part (seed per part) in the publisher's layout: plane c, column x, row y. */
  static byte[] stlImage(int seed, int i) {
    byte[] out = new byte[Stl10Source.IMAGE_BYTES];
    for (int k = 0; k < out.length; k++) {
      out[k] = pixel(seed, (long) i * out.length + k);
    }
    return out;
  }

  /** Expected HWC of STL image i: HWC[y][x][c] = file[c*9216 + x*96 + y]. */
  static byte[] stlHwc(int seed, int i) {
    byte[] out = new byte[Stl10Source.IMAGE_BYTES];
    for (int y = 0; y < 96; y++) {
      for (int x = 0; x < 96; x++) {
        for (int c = 0; c < 3; c++) {
          out[(y * 96 + x) * 3 + c] = pixel(seed, (long) i * out.length + c * 9216 + x * 96 + y);
        }
      }
    }
    return out;
  }

  static int stlLabel(int seed, int i) {
    return 1 + (seed * 5 + i * 3) % 10;
  }

  static byte[] stlImages(int seed, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      out.writeBytes(stlImage(seed, i));
    }
    return out.toByteArray();
  }

  static byte[] stlLabels(int seed, int count) {
    byte[] out = new byte[count];
    for (int i = 0; i < count; i++) {
      out[i] = (byte) stlLabel(seed, i);
    }
    return out;
  }

  /** stl10_binary members: train 4 images (seed 21), test 3 (seed 22), unlabeled 5 (seed 23). */
  static Map<String, byte[]> stlMembers() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("stl10_binary/test_X.bin", stlImages(22, 3));
    m.put("stl10_binary/test_y.bin", stlLabels(22, 3));
    m.put("stl10_binary/train_X.bin", stlImages(21, 4));
    m.put("stl10_binary/train_y.bin", stlLabels(21, 4));
    m.put("stl10_binary/unlabeled_X.bin", stlImages(23, 5));
    m.put("stl10_binary/class_names.txt", lines(STL_NAMES));
    m.put("stl10_binary/fold_indices.txt", "0 1 2 3\n1 2\n".getBytes(StandardCharsets.UTF_8));
    return m;
  }

  // ---- writing

  /** Writes {@code members} as a gzipped tar (GNU format, as the publishers' archives). */
  static Path tarGz(Path file, Map<String, byte[]> members) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream o = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(o))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      for (Map.Entry<String, byte[]> e : members.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  /** Writes {@code members} as plain files under {@code dir} (the extracted archive). */
  static Path extract(Path dir, Map<String, byte[]> members) throws IOException {
    for (Map.Entry<String, byte[]> e : members.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    return dir;
  }

  static Map<String, byte[]> with(Map<String, byte[]> members, String name, byte[] content) {
    Map<String, byte[]> m = new LinkedHashMap<>(members);
    if (content == null) {
      m.remove(name);
    } else {
      m.put(name, content);
    }
    return m;
  }

  /** The members of a (gzipped) tar, in archive order: to alter the committed python fixtures. */
  static Map<String, byte[]> readTarGz(Path file) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
        new BufferedInputStream(Files.newInputStream(file))))) {
      for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
        m.put(e.getName(), tar.readAllBytes());
      }
    }
    return m;
  }

  /** The committed python archive {@code name} (see make_cifar_python.py). */
  static Path pythonFixture(String name) {
    return Path.of("src/test/resources/cifar", name);
  }
}
