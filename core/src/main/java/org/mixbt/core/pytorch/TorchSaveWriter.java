package org.mixbt.core.pytorch;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.mixbt.core.pickle.PickleWriter;

/**
 * Writes a state_dict as {@code torch.save} does (the zip format, PyTorch ≥ 1.6), without PyTorch: entries
 * {@code <name>/data.pkl} (protocol-2 pickle of a {@code collections.OrderedDict} whose values are
 * {@code torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())}, each storage a
 * persistent id {@code ('storage', torch.FloatStorage, '<i>', 'cpu', numel)}), {@code <name>/byteorder}
 * ("little"), {@code <name>/data/<i>} (each tensor's raw little-endian elements) and {@code <name>/version}
 * ("3", the format version torch.save writes). As PyTorch's writer, entries are stored uncompressed with their
 * data aligned to 64 bytes (so the file can be memory-mapped), and nothing but those globals is named, so
 * {@code torch.load(..., weights_only=True)} accepts it. Entry times are fixed: the same tensors give the same
 * bytes.
 */
public final class TorchSaveWriter {
  private static final int ALIGNMENT = 64;
  /** A fixed entry time (local, so the bytes do not depend on the time zone) keeps the output reproducible. */
  private static final java.time.LocalDateTime ENTRY_TIME = java.time.LocalDateTime.of(1980, 1, 2, 0, 0);
  private static final int LOCAL_HEADER = 30;
  private static final int EXTRA_HEADER = 4;

  private TorchSaveWriter() {}

  /** Writes {@code tensors} to {@code out} (not closed) as archive folder {@code name} (torch uses the file stem). */
  public static void write(List<ExportTensor> tensors, String name, OutputStream out) throws IOException {
    Counting counted = new Counting(out);
    ZipOutputStream zip = new ZipOutputStream(counted);
    entry(zip, counted, name + "/data.pkl", pickle(tensors));
    entry(zip, counted, name + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < tensors.size(); i++) {
      entry(zip, counted, name + "/data/" + i, tensors.get(i).data());
    }
    entry(zip, counted, name + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    zip.finish();
    zip.flush();
  }

  /** The data.pkl of {@code tensors}: storage key i is the i-th tensor. */
  static byte[] pickle(List<ExportTensor> tensors) {
    PickleWriter p = new PickleWriter();
    p.global("collections", "OrderedDict").tupleOf(0).reduce();
    p.mark();
    for (int i = 0; i < tensors.size(); i++) {
      ExportTensor t = tensors.get(i);
      p.string(t.key());
      p.global("torch._utils", "_rebuild_tensor_v2");
      p.mark();
      p.mark().string("storage").global("torch", t.dtype().storageClass()).string(Integer.toString(i)).string("cpu")
          .integer(t.numel()).tuple().persistentId();
      p.integer(0).intTuple(t.shape()).intTuple(t.stride()).bool(false);
      p.global("collections", "OrderedDict").tupleOf(0).reduce();
      p.tuple().reduce();
    }
    p.setItems();
    return p.toByteArray();
  }

  /** One stored entry, its data starting on a 64-byte boundary (padding in an extra field, as PyTorch's). */
  private static void entry(ZipOutputStream zip, Counting counted, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setTimeLocal(ENTRY_TIME);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    long headerEnd = counted.count + LOCAL_HEADER + name.getBytes(StandardCharsets.UTF_8).length + EXTRA_HEADER;
    int pad = (int) ((ALIGNMENT - headerEnd % ALIGNMENT) % ALIGNMENT);
    byte[] extra = new byte[EXTRA_HEADER + pad];
    extra[0] = 'F';
    extra[1] = 'B';
    extra[2] = (byte) pad;
    extra[3] = (byte) (pad >>> 8);
    java.util.Arrays.fill(extra, EXTRA_HEADER, extra.length, (byte) 'Z');
    e.setExtra(extra);
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  /** Counts the bytes ZipOutputStream has written, to place each entry's data. */
  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
