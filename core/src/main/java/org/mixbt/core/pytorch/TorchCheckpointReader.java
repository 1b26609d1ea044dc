package org.mixbt.core.pytorch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.mixbt.core.checkpoint.CheckpointException;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.pickle.RestrictedUnpickler;

/**
 * Opens files written by {@code torch.save}. The zip format (PyTorch ≥ 1.6, the default): one folder holding
 * {@code data.pkl} (the pickled object; tensors refer to storages by persistent id), {@code data/<key>} (each
 * storage's raw elements), optionally {@code byteorder} ("little" when absent, as PyTorch assumes). The pickle goes
 * through a {@link RestrictedUnpickler} that can build only dicts, plain values and tensors ({@link TorchPickles}).
 * The legacy format (a pickled magic number, protocol version and system info, the object pickle, the list of
 * storage keys, then each storage as an 8-byte element count and its elements) is read by {@link LegacyTorchFile}.
 */
public final class TorchCheckpointReader {
  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
  /** Pickle protocol 2, LONG1 of 10 bytes: how the legacy magic number 0x1950a86a20f9469cfc6c starts a file. */
  private static final byte[] LEGACY_MAGIC = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46,
      (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19};

  private TorchCheckpointReader() {}

  /** Opens {@code file}; close the result once its tensors are read. */
  public static TorchCheckpoint open(Path file) {
    byte[] head = head(file);
    if (startsWith(head, ZIP_MAGIC)) {
      return openZip(file);
    }
    if (startsWith(head, LEGACY_MAGIC)) {
      return LegacyTorchFile.open(file);
    }
    throw new CheckpointException("Cannot read checkpoint " + file + ": not a torch.save file (neither a zip archive"
        + " nor the legacy format): first bytes " + hex(head));
  }

  private static TorchCheckpoint openZip(Path file) {
    ZipFile zip;
    try {
      zip = new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new CheckpointException("Cannot read checkpoint " + file + ": not a complete zip archive (truncated?): "
          + e.getMessage(), e);
    } catch (IOException e) {
      throw new CheckpointException("Cannot read checkpoint " + file + ": " + e, e);
    }
    try {
      String folder = archiveFolder(zip, file);
      ByteOrder order = byteOrder(zip, folder, file);
      ZipStorages storages = new ZipStorages(zip, folder, order, file);
      String pickle = folder + "data.pkl";
      Object root;
      try (InputStream in = zip.getInputStream(zip.getEntry(pickle))) {
        root = new RestrictedUnpickler(TorchPickles.ALLOW_LIST, TorchPickles.storageLoader(storages))
            .load(in, file + "!" + pickle);
      }
      return new TorchCheckpoint(file, root, zip);
    } catch (DatasetFormatException e) {
      closeQuietly(zip);
      throw new CheckpointException(e.getMessage(), e);
    } catch (IOException e) {
      closeQuietly(zip);
      throw new CheckpointException("Cannot read checkpoint " + file + ": " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(zip);
      throw e;
    }
  }

  /** The single top-level folder holding data.pkl (named after the file by torch.save, "archive" in older versions). */
  private static String archiveFolder(ZipFile zip, Path file) {
    List<String> found = new ArrayList<>();
    zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - 9)
        .forEach(found::add);
    if (found.size() != 1) {
      throw new CheckpointException("Cannot read checkpoint " + file + ": expected one <folder>/data.pkl entry in the"
          + " zip archive, found " + found);
    }
    return found.get(0).substring(0, found.get(0).length() - "data.pkl".length());
  }

  private static ByteOrder byteOrder(ZipFile zip, String folder, Path file) throws IOException {
    ZipEntry entry = zip.getEntry(folder + "byteorder");
    if (entry == null) {
      return ByteOrder.LITTLE_ENDIAN;
    }
    try (InputStream in = zip.getInputStream(entry)) {
      String text = new String(in.readNBytes(16), StandardCharsets.US_ASCII).trim();
      return switch (text) {
        case "little" -> ByteOrder.LITTLE_ENDIAN;
        case "big" -> ByteOrder.BIG_ENDIAN;
        default -> throw new CheckpointException("Cannot read checkpoint " + file + ": entry " + entry.getName()
            + " is neither \"little\" nor \"big\": " + text);
      };
    }
  }

  /** Storages as the zip's {@code <folder>/data/<key>} entries. */
  private record ZipStorages(ZipFile zip, String folder, ByteOrder order, Path file) implements TorchStorage.Source {
    @Override
    public void check(String key, long bytes) {
      ZipEntry entry = zip.getEntry(folder + "data/" + key);
      if (entry == null) {
        throw new CheckpointException("Cannot read checkpoint " + file + ": storage entry " + folder + "data/" + key
            + " is missing");
      }
      if (entry.getSize() != bytes) {
        throw new CheckpointException("Cannot read checkpoint " + file + ": storage entry " + entry.getName()
            + " has " + entry.getSize() + " bytes, its tensors need " + bytes);
      }
    }

    @Override
    public ByteBuffer read(String key, long bytes) {
      try {
        check(key, bytes);
      } catch (IllegalStateException e) {
        throw new CheckpointException("Cannot read storage " + key + " of checkpoint " + file
            + ": the checkpoint is closed", e);
      }
      ZipEntry entry = zip.getEntry(folder + "data/" + key);
      try (InputStream in = zip.getInputStream(entry)) {
        byte[] data = in.readNBytes(Math.toIntExact(bytes));
        if (data.length != bytes) {
          throw new CheckpointException("Cannot read checkpoint " + file + ": storage entry " + entry.getName()
              + " ends after " + data.length + " of " + bytes + " bytes");
        }
        return ByteBuffer.wrap(data).order(order);
      } catch (IOException e) {
        throw new CheckpointException("Cannot read checkpoint " + file + ": storage entry " + entry.getName() + ": "
            + e, e);
      } catch (ArithmeticException e) {
        throw new CheckpointException("Cannot read checkpoint " + file + ": storage entry " + entry.getName()
            + " is larger than 2 GiB: " + bytes + " bytes", e);
      }
    }
  }

  private static byte[] head(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(LEGACY_MAGIC.length);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CheckpointException("Cannot read checkpoint " + file + ": no such file", e);
    } catch (IOException e) {
      throw new CheckpointException("Cannot read checkpoint " + file + ": " + e, e);
    }
  }

  private static boolean startsWith(byte[] data, byte[] prefix) {
    return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes) {
      s.append(String.format("%02x", b));
    }
    return s.length() == 0 ? "(empty file)" : s.toString();
  }

  static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Already failing with a better message.
    }
  }
}
