package org.mixbt.prep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.data.DatasetFormatException;

/** Every bad input the CIFAR and STL-10 sources handle, each named with file, record and value. No Spark. */
class ArchiveSourcesBadInputTest {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
  @TempDir Path tmp;

  @Test
  void truncatedArchiveInsideAMemberNamesTheRecord() throws IOException {
    Map<String, byte[]> members = ArchiveFixtures.cifar10BinaryMembers();
    byte[] tar = plainTar(members);
    // test_batch.bin is the 7th entry: cut the archive 100 bytes into its record 2.
    long offset = 0;
    for (Map.Entry<String, byte[]> e : members.entrySet()) {
      offset += 512;
      if (e.getKey().endsWith("test_batch.bin")) {
        break;
      }
      offset += (e.getValue().length + 511) / 512 * 512;
    }
    Path cut = Files.write(tmp.resolve("cifar-10-binary.tar"), Arrays.copyOf(tar, (int) offset + 2 * 3073 + 100));
    CifarBinarySource source = new CifarBinarySource(cut, "cifar-10", QUIET);
    assertEquals(13, source.read("train").size());
    assertMessage(() -> source.read("test"), "Cannot read " + cut + "!/cifar-10-batches-bin/test_batch.bin: "
        + "truncated or unreadable at record 2: Truncated TAR archive");
  }

  @Test
  void truncatedGzipBeforeAMemberIsFoundWhenOpening() throws IOException {
    Path whole = ArchiveFixtures.tarGz(tmp.resolve("whole.tar.gz"), ArchiveFixtures.cifar10BinaryMembers());
    byte[] gz = Files.readAllBytes(whole);
    Path cut = Files.write(tmp.resolve("cifar-10-binary.tar.gz"), Arrays.copyOf(gz, gz.length / 2));
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> new CifarBinarySource(cut, "cifar-10", QUIET));
    assertTrue(e.getMessage().startsWith("Cannot read " + cut + "!/cifar-10-batches-bin/"), e.getMessage());
    assertTrue(e.getMessage().contains(": missing member, archive truncated: in entry cifar-10-batches-bin/"),
        e.getMessage());
  }

  @Test
  void truncatedBinFileInAFolder() throws IOException {
    Map<String, byte[]> members = ArchiveFixtures.cifar10BinaryMembers();
    byte[] batch2 = members.get("cifar-10-batches-bin/data_batch_2.bin");
    Path dir = ArchiveFixtures.extract(tmp.resolve("x"), ArchiveFixtures.with(members,
        "cifar-10-batches-bin/data_batch_2.bin", Arrays.copyOf(batch2, batch2.length - 1000)));
    assertMessage(() -> new CifarBinarySource(dir, "cifar-10", QUIET), "Cannot read "
        + dir.resolve("cifar-10-batches-bin/data_batch_2.bin") + ": truncated or wrong record size: record 1 has "
        + "only 2073 of 3073 bytes of a cifar-10 record: file size 5146");
  }

  @Test
  void wrongRecordSize() throws IOException {
    // CIFAR-100 records (3074 bytes) where CIFAR-10 records (3073) belong.
    Path dir = ArchiveFixtures.extract(tmp.resolve("x"), ArchiveFixtures.with(ArchiveFixtures.cifar10BinaryMembers(),
        "cifar-10-batches-bin/test_batch.bin", ArchiveFixtures.cifar100Bin(12, 5)));
    assertMessage(() -> new CifarBinarySource(dir, "cifar-10", QUIET), "Cannot read "
        + dir.resolve("cifar-10-batches-bin/test_batch.bin") + ": truncated or wrong record size: record 5 has only "
        + "5 of 3073 bytes of a cifar-10 record: file size 15370");
  }

  @Test
  void labelsOutOfRange() throws IOException {
    Map<String, byte[]> c10 = ArchiveFixtures.cifar10BinaryMembers();
    byte[] batch = c10.get("cifar-10-batches-bin/data_batch_2.bin").clone();
    batch[3073] = 10;
    Path a = ArchiveFixtures.tarGz(tmp.resolve("c10.tar.gz"), ArchiveFixtures.with(c10,
        "cifar-10-batches-bin/data_batch_2.bin", batch));
    assertMessage(() -> new CifarBinarySource(a, "cifar-10", QUIET).read("train"), "Cannot read " + a
        + "!/cifar-10-batches-bin/data_batch_2.bin: label out of range [0, 10) at record 1: 10");

    Map<String, byte[]> c100 = ArchiveFixtures.cifar100BinaryMembers();
    byte[] test = c100.get("cifar-100-binary/test.bin").clone();
    test[2 * 3074] = 20;
    Path b = ArchiveFixtures.extract(tmp.resolve("c100"), ArchiveFixtures.with(c100, "cifar-100-binary/test.bin", test));
    assertMessage(() -> new CifarBinarySource(b, "cifar-100", QUIET).read("test"), "Cannot read "
        + b.resolve("cifar-100-binary/test.bin") + ": coarse label out of range [0, 20) at record 2: 20");

    Map<String, byte[]> stl = ArchiveFixtures.stlMembers();
    byte[] labels = stl.get("stl10_binary/train_y.bin").clone();
    labels[3] = 0;
    Path c = ArchiveFixtures.tarGz(tmp.resolve("stl.tar.gz"), ArchiveFixtures.with(stl, "stl10_binary/train_y.bin",
        labels));
    assertMessage(() -> new Stl10Source(c, QUIET).read("train"), "Cannot read " + c
        + "!/stl10_binary/train_y.bin: label out of range [1, 10] at record 3: 0");
  }

  @Test
  void labelCountDisagreesWithImages() throws IOException {
    Path a = ArchiveFixtures.tarGz(tmp.resolve("stl.tar.gz"), ArchiveFixtures.with(ArchiveFixtures.stlMembers(),
        "stl10_binary/test_y.bin", ArchiveFixtures.stlLabels(22, 2)));
    assertMessage(() -> new Stl10Source(a, QUIET), "Cannot read " + a + "!/stl10_binary/test_y.bin: label count "
        + "disagrees with test_X.bin (3 images): 2 labels");
  }

  @Test
  void missingMembers() throws IOException {
    Path a = ArchiveFixtures.tarGz(tmp.resolve("c10.tar.gz"), ArchiveFixtures.with(
        ArchiveFixtures.cifar10BinaryMembers(), "cifar-10-batches-bin/data_batch_4.bin", null));
    assertMessage(() -> new CifarBinarySource(a, "cifar-10", QUIET), "Cannot read " + a
        + "!/cifar-10-batches-bin/data_batch_4.bin: missing member: no cifar-10-batches-bin/data_batch_4.bin in " + a);
    Path dir = ArchiveFixtures.extract(tmp.resolve("stl"), ArchiveFixtures.with(ArchiveFixtures.stlMembers(),
        "stl10_binary/unlabeled_X.bin", null));
    assertMessage(() -> new Stl10Source(dir.resolve("stl10_binary"), QUIET), "Cannot read "
        + dir.resolve("stl10_binary/unlabeled_X.bin") + ": missing file: no such file in " + dir.resolve("stl10_binary"));
    Path meta = ArchiveFixtures.tarGz(tmp.resolve("c10py.tar.gz"), ArchiveFixtures.with(
        ArchiveFixtures.readTarGz(ArchiveFixtures.pythonFixture("cifar-10-python.tar.gz")),
        "cifar-10-batches-py/batches.meta", null));
    assertMessage(() -> new CifarPythonSource(meta, "cifar-10", QUIET), "Cannot read " + meta
        + "!/cifar-10-batches-py/batches.meta: missing member: no cifar-10-batches-py/batches.meta in " + meta);
  }

  @Test
  void entryPathsThatEscapeTheArchive() throws IOException {
    for (String evil : new String[] {"../evil.txt", "cifar-10-batches-bin/../../evil.txt", "/etc/evil.txt"}) {
      Path a = ArchiveFixtures.tarGz(tmp.resolve("escape.tar.gz"), ArchiveFixtures.with(
          ArchiveFixtures.cifar10BinaryMembers(), evil, "x".getBytes(StandardCharsets.UTF_8)));
      assertMessage(() -> new CifarBinarySource(a, "cifar-10", QUIET), "Cannot read " + a
          + ": archive entry path escapes the archive root: " + evil);
    }
  }

  @Test
  void picklesThatCallAnythingButNumpyAreRefused() throws IOException {
    // data_batch_1 replaced by the classic hostile pickle: os.system('touch …').
    byte[] evil = "cos\nsystem\n(S'touch /tmp/mixbt-pwned'\ntR.".getBytes(StandardCharsets.ISO_8859_1);
    Path a = ArchiveFixtures.tarGz(tmp.resolve("c10py.tar.gz"), ArchiveFixtures.with(
        ArchiveFixtures.readTarGz(ArchiveFixtures.pythonFixture("cifar-10-python.tar.gz")),
        "cifar-10-batches-py/data_batch_1", evil));
    CifarPythonSource source = new CifarPythonSource(a, "cifar-10", QUIET);
    assertMessage(() -> source.read("train"), "Cannot read " + a + "!/cifar-10-batches-py/data_batch_1: pickle "
        + "global not allowed: os.system (allowed: numpy.core.multiarray._reconstruct, "
        + "numpy._core.multiarray._reconstruct, numpy.ndarray, numpy.dtype, _codecs.encode)");
    assertTrue(Files.notExists(Path.of("/tmp/mixbt-pwned")));
  }

  @Test
  void unknownDatasetAndSplit() throws IOException {
    Path a = ArchiveFixtures.tarGz(tmp.resolve("c10.tar.gz"), ArchiveFixtures.cifar10BinaryMembers());
    assertMessage(() -> new CifarBinarySource(a, "cifar-20", QUIET), "Cannot read CIFAR: unknown dataset: cifar-20 "
        + "(known: cifar-10, cifar-100)");
    assertMessage(() -> new CifarBinarySource(a, "cifar-10", QUIET).read("val"), "Cannot read cifar-10: unknown "
        + "split: val (known: [train, test])");
  }

  static void assertMessage(Executable call, String expected) {
    RuntimeException e = assertThrows(RuntimeException.class, call);
    assertEquals(expected, e.getMessage());
  }

  static byte[] plainTar(Map<String, byte[]> members) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : members.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }
}
