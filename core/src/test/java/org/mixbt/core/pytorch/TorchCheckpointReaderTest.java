package org.mixbt.core.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixbt.core.checkpoint.CheckpointException;

/** torch.save files written by PyTorch 1.13 (src/test/resources/pytorch/make_pth_fixtures.py). */
class TorchCheckpointReaderTest {
  @TempDir
  Path dir;

  /** base[i][j] = (6i + j) / 8 - 1, as the generator makes it. */
  private static float base(int i, int j) {
    return (6 * i + j) / 8f - 1;
  }

  /** Runs {@code check} on the state_dict of {@code file} while the file is open. */
  private void withTensors(String file, java.util.function.Consumer<Map<String, TorchTensor>> check)
      throws IOException {
    try (TorchCheckpoint c = TorchCheckpointReader.open(TorchFixtures.copy(file, dir))) {
      check.accept(c.stateDict(StateDictSelection.AUTO));
    }
  }

  @Test
  void transposedAndSlicedViewsOfOneStorageReadInTheirOwnOrder() throws IOException {
    try (TorchCheckpoint c = TorchCheckpointReader.open(TorchFixtures.copy("tensor_views.pth", dir))) {
      Map<String, TorchTensor> t = c.stateDict(StateDictSelection.AUTO);
      float[] expectBase = new float[24];
      float[] expectT = new float[24];
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 6; j++) {
          expectBase[6 * i + j] = base(i, j);
          expectT[4 * j + i] = base(i, j);
        }
      }
      assertArrayEquals(expectBase, t.get("base").toFloatArray());
      assertArrayEquals(new long[] {6, 4}, t.get("t").shape());
      assertArrayEquals(expectT, t.get("t").toFloatArray());
      // base[1:3, 2:5]: storage offset 8, stride (6, 1).
      assertArrayEquals(new float[] {base(1, 2), base(1, 3), base(1, 4), base(2, 2), base(2, 3), base(2, 4)},
          t.get("slice").toFloatArray());
      assertArrayEquals(new float[] {base(0, 3), base(1, 3), base(2, 3), base(3, 3)}, t.get("column").toFloatArray());
      for (String k : new String[] {"base", "t", "slice", "column"}) {
        assertArrayEquals(t.get(k + "_copy").toFloatArray(), t.get(k).toFloatArray(), k);
        assertArrayEquals(t.get(k + "_copy").shape(), t.get(k).shape(), k);
      }
    }
  }

  @Test
  void otherDtypesConvert() throws IOException {
    withTensors("tensor_views.pth", this::checkDtypes);
  }

  private void checkDtypes(Map<String, TorchTensor> t) {
    assertEquals(TorchDtype.FLOAT64, t.get("double").dtype());
    assertEquals(base(3, 5) / 3.0, t.get("double").toDoubleArray()[23], 1e-15);
    // Every base value is a multiple of 1/8 below 2: exact in float16 and bfloat16.
    assertEquals(TorchDtype.FLOAT16, t.get("half").dtype());
    assertArrayEquals(t.get("base").toFloatArray(), t.get("half").toFloatArray());
    assertEquals(TorchDtype.BFLOAT16, t.get("bfloat16").dtype());
    assertArrayEquals(t.get("base").toFloatArray(), t.get("bfloat16").toFloatArray());
    assertEquals(TorchDtype.INT64, t.get("long").dtype());
    assertArrayEquals(new double[] {0, 1000000007, 2000000014, 3000000021.0, 4000000028.0},
        t.get("long").toDoubleArray());
    assertArrayEquals(new long[0], t.get("scalar").shape());
    assertArrayEquals(new float[] {2.5f}, t.get("scalar").toFloatArray());
  }

  @Test
  void halfPrecisionSpecialValues() {
    assertEquals(65504f, TorchDtype.halfToFloat((short) 0x7BFF));
    assertEquals(0x1p-24f, TorchDtype.halfToFloat((short) 0x0001));
    assertEquals(-2f, TorchDtype.halfToFloat((short) 0xC000));
    assertEquals(Float.NEGATIVE_INFINITY, TorchDtype.halfToFloat((short) 0xFC00));
    assertTrue(Float.isNaN(TorchDtype.halfToFloat((short) 0x7E00)));
  }

  @Test
  void legacyFormatReadsLikeTheZipFormat() throws IOException {
    float[][] zip = new float[1][];
    withTensors("tensor_views.pth", t -> zip[0] = t.get("base").toFloatArray());
    withTensors("legacy.pth", legacy -> {
      assertEquals(java.util.Set.of("base"), legacy.keySet());
      assertArrayEquals(zip[0], legacy.get("base").toFloatArray());
    });
  }

  @Test
  void tensorsOfAClosedCheckpointSayIt() throws IOException {
    TorchTensor base;
    Path file = TorchFixtures.copy("tensor_views.pth", dir);
    try (TorchCheckpoint c = TorchCheckpointReader.open(file)) {
      base = c.stateDict(StateDictSelection.AUTO).get("base");
    }
    CheckpointException e = assertThrows(CheckpointException.class, base::toFloatArray);
    assertEquals("Cannot read storage 0 of checkpoint " + file + ": the checkpoint is closed", e.getMessage());
  }

  @Test
  void truncatedLegacyFileIsRefused() throws IOException {
    Path file = TorchFixtures.copy("legacy.pth", dir);
    byte[] bytes = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.pth");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length - 10));
    CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpointReader.open(cut));
    assertTrue(e.getMessage().startsWith("Cannot read checkpoint " + cut + " (legacy format): file ends inside storage "),
        e.getMessage());
  }

  @Test
  void wrappedTrainingCheckpointSelectsTheStateDictAndStripsDdpPrefix() throws IOException {
    try (TorchCheckpoint c = TorchCheckpointReader.open(TorchFixtures.copy("wrapped.pth", dir))) {
      assertEquals(java.util.Set.of("weight", "bias"), c.stateDict(StateDictSelection.AUTO).keySet());
      assertEquals(java.util.Set.of("module.weight", "module.bias"),
          c.stateDict(new StateDictSelection("state_dict", "")).keySet());
      assertEquals(java.util.Set.of("weight", "bias"),
          c.stateDict(new StateDictSelection("state_dict", "module.")).keySet());
      CheckpointException e = assertThrows(CheckpointException.class,
          () -> c.stateDict(new StateDictSelection("model", "")));
      assertEquals("Cannot find the state_dict in checkpoint " + c.file() + ": no entry model (missing part model)",
          e.getMessage());
      e = assertThrows(CheckpointException.class, () -> c.stateDict(new StateDictSelection("", "")));
      assertEquals("Cannot read the state_dict of checkpoint " + c.file() + ": entry epoch is not a tensor: Integer",
          e.getMessage());
    }
  }

  @Test
  void refusesAPickleThatCallsOsSystem() throws IOException {
    Path file = TorchFixtures.copy("evil_os_system.pth", dir);
    CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpointReader.open(file));
    // os.system pickles as posix.system on Linux.
    assertTrue(e.getMessage().startsWith("Cannot read " + file + "!evil_os_system/data.pkl: pickle global not allowed:"
        + " posix.system (allowed: collections.OrderedDict, torch._utils._rebuild_tensor_v2"), e.getMessage());
  }

  @Test
  void refusesAPickleThatCallsEval() throws IOException {
    // Protocol 2 writes Python 3's builtins under their Python 2 module name.
    Path file = TorchFixtures.copy("evil_eval.pth", dir);
    CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpointReader.open(file));
    assertTrue(e.getMessage().startsWith("Cannot read " + file + "!evil_eval/data.pkl: pickle global not allowed:"
        + " __builtin__.eval (allowed: "), e.getMessage());
  }

  @Test
  void truncatedZipIsRefused() throws IOException {
    byte[] bytes = Files.readAllBytes(TorchFixtures.copy("tensor_views.pth", dir));
    Path cut = dir.resolve("cut.pth");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpointReader.open(cut));
    assertTrue(e.getMessage().startsWith("Cannot read checkpoint " + cut + ": not a complete zip archive (truncated?): "),
        e.getMessage());
  }

  @Test
  void missingStorageEntryIsNamed() throws IOException {
    Path without = rewrite("tensor_views.pth", "tensor_views/data/3", null);
    CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpointReader.open(without));
    assertEquals("Cannot read checkpoint " + without + ": storage entry tensor_views/data/3 is missing", e.getMessage());
  }

  @Test
  void storageOfTheWrongSizeIsNamed() throws IOException {
    Path shorter = rewrite("tensor_views.pth", "tensor_views/data/0", new byte[90]);
    CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpointReader.open(shorter));
    assertEquals("Cannot read checkpoint " + shorter + ": storage entry tensor_views/data/0 has 90 bytes, its tensors"
        + " need 96", e.getMessage());
  }

  @Test
  void anythingElseIsNotACheckpoint() throws IOException {
    Path file = dir.resolve("notes.pth");
    Files.writeString(file, "hello");
    CheckpointException e = assertThrows(CheckpointException.class, () -> TorchCheckpointReader.open(file));
    assertEquals("Cannot read checkpoint " + file + ": not a torch.save file (neither a zip archive nor the legacy"
        + " format): first bytes 68656c6c6f", e.getMessage());
  }

  /** The fixture re-zipped (stored, like torch.save) without entry {@code name}, or with {@code replacement} for it. */
  private Path rewrite(String fixture, String name, byte[] replacement) throws IOException {
    Path source = TorchFixtures.copy(fixture, dir);
    Path target = dir.resolve("rewritten-" + fixture);
    try (ZipFile zip = new ZipFile(source.toFile());
        OutputStream file = Files.newOutputStream(target);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
        byte[] data;
        try (InputStream in = zip.getInputStream(entry)) {
          data = in.readAllBytes();
        }
        if (entry.getName().equals(name)) {
          if (replacement == null) {
            continue;
          }
          data = replacement;
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setMethod(ZipEntry.STORED);
        copy.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        copy.setCrc(crc.getValue());
        out.putNextEntry(copy);
        out.write(data);
        out.closeEntry();
      }
    }
    return target;
  }
}
