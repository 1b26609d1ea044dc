package org.mixbt.core.pytorch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of an exported state_dict: its key, element type, shape and values as little-endian bytes in C
 * (row-major) order, the layout both {@code torch.save}'s storages and safetensors' data hold.
 */
public record ExportTensor(String key, TorchDtype dtype, long[] shape, byte[] data) {
  public ExportTensor {
    long numel = 1;
    for (long s : shape) {
      numel = Math.multiplyExact(numel, s);
    }
    if (data.length != numel * dtype.itemSize()) {
      throw new IllegalArgumentException("Cannot export tensor " + key + ": shape " + Arrays.toString(shape)
          + " of " + dtype + " needs " + numel * dtype.itemSize() + " bytes, found " + data.length);
    }
    shape = shape.clone();
  }

  /** A float32 tensor of {@code values} (C order). */
  public static ExportTensor float32(String key, long[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new ExportTensor(key, TorchDtype.FLOAT32, shape, b.array());
  }

  /** A zero-dimensional int64 tensor (what BatchNorm's num_batches_tracked is). */
  public static ExportTensor int64Scalar(String key, long value) {
    return new ExportTensor(key, TorchDtype.INT64, new long[0],
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
  }

  public long numel() {
    return data.length / dtype.itemSize();
  }

  /** C-contiguous strides of {@link #shape}, in elements. */
  public long[] stride() {
    long[] stride = new long[shape.length];
    long step = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      stride[d] = step;
      step *= shape[d];
    }
    return stride;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }
}
