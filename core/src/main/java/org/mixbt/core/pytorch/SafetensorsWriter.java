package org.mixbt.core.pytorch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * Writes tensors as a safetensors file (readable with neither DL4J nor PyTorch: an 8-byte little-endian header
 * length, a JSON header mapping each key to {@code dtype}, {@code shape} and {@code data_offsets} [begin, end)
 * into the data section, then the raw little-endian data). Tensors are laid out back to back in list order, as
 * the format requires (no holes); the header is padded with spaces to a multiple of 8 bytes so that the data
 * section is aligned. {@code __metadata__} holds string pairs only, as the format allows.
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ALIGNMENT = 8;

  private SafetensorsWriter() {}

  public static void write(List<ExportTensor> tensors, Map<String, String> metadata, OutputStream out)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (ExportTensor t : tensors) {
      ObjectNode entry = header.putObject(t.key());
      entry.put("dtype", dtype(t.dtype()));
      var shape = entry.putArray("shape");
      for (long s : t.shape()) {
        shape.add(s);
      }
      entry.putArray("data_offsets").add(offset).add(offset + t.data().length);
      offset += t.data().length;
    }
    byte[] json = JSON.writeValueAsBytes(header); // UTF-8
    int padded = (json.length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    byte[] head = new byte[padded];
    java.util.Arrays.fill(head, (byte) ' ');
    System.arraycopy(json, 0, head, 0, json.length);
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
    out.write(head);
    for (ExportTensor t : tensors) {
      out.write(t.data());
    }
    out.flush();
  }

  /** safetensors' dtype names. */
  static String dtype(TorchDtype dtype) {
    return switch (dtype) {
      case FLOAT32 -> "F32";
      case FLOAT64 -> "F64";
      case FLOAT16 -> "F16";
      case BFLOAT16 -> "BF16";
      case INT64 -> "I64";
      case INT32 -> "I32";
      case INT16 -> "I16";
      case INT8 -> "I8";
      case UINT8 -> "U8";
      case BOOL -> "BOOL";
    };
  }
}
