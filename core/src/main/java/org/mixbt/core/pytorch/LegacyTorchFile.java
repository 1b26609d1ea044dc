package org.mixbt.core.pytorch;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mixbt.core.checkpoint.CheckpointException;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.pickle.PickleAllowList;
import org.mixbt.core.pickle.PickleValues;
import org.mixbt.core.pickle.RestrictedUnpickler;

/**
 * The pre-1.6 {@code torch.save} format ({@code _use_new_zipfile_serialization=False}): five pickles in a row
 * (magic number, protocol version 1001, system info, the object, the list of storage keys), then each listed
 * storage as an 8-byte element count followed by its elements. Storage views (a legacy-only feature) are refused.
 */
final class LegacyTorchFile {
  private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
  private static final long PROTOCOL = 1001;

  private LegacyTorchFile() {}

  static TorchCheckpoint open(Path file) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new CheckpointException("Cannot read checkpoint " + file + ": " + e, e);
    }
    try {
      return new TorchCheckpoint(file, read(file, channel), channel);
    } catch (DatasetFormatException e) {
      TorchCheckpointReader.closeQuietly(channel);
      throw new CheckpointException(e.getMessage(), e);
    } catch (IOException e) {
      TorchCheckpointReader.closeQuietly(channel);
      throw new CheckpointException("Cannot read checkpoint " + file + " (legacy format): " + e, e);
    } catch (RuntimeException e) {
      TorchCheckpointReader.closeQuietly(channel);
      throw e;
    }
  }

  private static Object read(Path file, FileChannel channel) throws IOException {
    String source = file + " (legacy format)";
    CountingStream in = new CountingStream(new BufferedInputStream(Channels.newInputStream(channel)));
    RestrictedUnpickler plain = new RestrictedUnpickler(PickleAllowList.builder().build());
    if (!MAGIC.equals(toBig(plain.load(in, source)))) {
      throw new CheckpointException("Cannot read checkpoint " + source + ": wrong magic number");
    }
    Object protocol = plain.load(in, source);
    if (!(protocol instanceof Number n) || n.longValue() != PROTOCOL) {
      throw new CheckpointException("Cannot read checkpoint " + source + ": unsupported protocol version: " + protocol);
    }
    Map<String, Object> sysInfo = PickleValues.dict(plain.load(in, source));
    ByteOrder order = Boolean.FALSE.equals(sysInfo.get("little_endian")) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    Storages storages = new Storages(channel, order, source);
    Object root = new RestrictedUnpickler(TorchPickles.ALLOW_LIST, TorchPickles.storageLoader(storages)).load(in, source);
    List<?> keys = PickleValues.list(plain.load(in, source));
    long position = in.count;
    for (Object key : keys) {
      position = storages.locate(PickleValues.text(key), position);
    }
    storages.verify();
    return root;
  }

  private static BigInteger toBig(Object value) {
    return value instanceof BigInteger b ? b : value instanceof Number n ? BigInteger.valueOf(n.longValue()) : null;
  }

  /** Storages found after the pickles: expected sizes come from the object pickle, offsets from the scan. */
  private static final class Storages implements TorchStorage.Source {
    private final FileChannel channel;
    private final ByteOrder order;
    private final String source;
    private final Map<String, Long> expectedBytes = new LinkedHashMap<>();
    private final Map<String, long[]> located = new LinkedHashMap<>();

    Storages(FileChannel channel, ByteOrder order, String source) {
      this.channel = channel;
      this.order = order;
      this.source = source;
    }

    @Override
    public void check(String key, long bytes) {
      expectedBytes.put(key, bytes);
    }

    /** Records storage {@code key} stored at {@code position} (count, then elements); returns where the next starts. */
    long locate(String key, long position) throws IOException {
      Long bytes = expectedBytes.get(key);
      if (bytes == null) {
        throw new CheckpointException("Cannot read checkpoint " + source + ": storage " + key
            + " is listed but no tensor uses it");
      }
      ByteBuffer count = ByteBuffer.allocate(8).order(order);
      if (channel.read(count, position) != 8) {
        throw new CheckpointException("Cannot read checkpoint " + source + ": file ends before storage " + key);
      }
      long numel = count.getLong(0);
      long itemSize = numel == 0 ? 0 : bytes / numel;
      if (numel < 0 || numel * itemSize != bytes) {
        throw new CheckpointException("Cannot read checkpoint " + source + ": storage " + key + " holds " + numel
            + " elements, its tensors need " + bytes + " bytes");
      }
      long start = position + 8;
      if (start + bytes > channel.size()) {
        throw new CheckpointException("Cannot read checkpoint " + source + ": file ends inside storage " + key
            + " (truncated?)");
      }
      located.put(key, new long[] {start, bytes});
      return start + bytes;
    }

    void verify() {
      for (String key : expectedBytes.keySet()) {
        if (!located.containsKey(key)) {
          throw new CheckpointException("Cannot read checkpoint " + source + ": storage " + key + " is missing");
        }
      }
    }

    @Override
    public ByteBuffer read(String key, long bytes) {
      long[] at = located.get(key);
      try {
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(bytes)).order(order);
        while (data.hasRemaining()) {
          if (channel.read(data, at[0] + data.position()) < 0) {
            throw new IOException("end of file");
          }
        }
        return data.clear();
      } catch (IOException e) {
        throw new CheckpointException("Cannot read checkpoint " + source + ": storage " + key + ": " + e, e);
      }
    }
  }

  /** Counts the bytes the unpickler consumed: the storages start right after the last pickle. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count += skipped;
      return skipped;
    }
  }
}
