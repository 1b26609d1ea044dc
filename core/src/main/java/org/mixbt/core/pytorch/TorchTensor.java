package org.mixbt.core.pytorch;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a window on a {@link TorchStorage} given by
 * an element offset, a size and a stride per dimension. Strides make transposed and sliced tensors (views that
 * share a storage) read correctly; the values come out in C (row-major) order of the tensor's shape.
 */
public final class TorchTensor {
  private final TorchStorage storage;
  private final long offset;
  private final long[] shape;
  private final long[] stride;

  TorchTensor(TorchStorage storage, long offset, long[] shape, long[] stride) {
    if (shape.length != stride.length) {
      throw new IllegalArgumentException("tensor size " + Arrays.toString(shape) + " and stride "
          + Arrays.toString(stride) + " differ in length");
    }
    long last = offset;
    boolean empty = false;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] < 0 || stride[d] < 0) {
        throw new IllegalArgumentException("negative tensor size or stride: " + Arrays.toString(shape) + ", "
            + Arrays.toString(stride));
      }
      empty |= shape[d] == 0;
      last += shape[d] == 0 ? 0 : Math.multiplyExact(shape[d] - 1, stride[d]);
    }
    if (offset < 0 || (!empty && last >= storage.numel())) {
      throw new IllegalArgumentException("tensor of size " + Arrays.toString(shape) + ", stride "
          + Arrays.toString(stride) + " and offset " + offset + " reaches element " + last + " of storage "
          + storage.key() + ", which has " + storage.numel() + " elements");
    }
    this.storage = storage;
    this.offset = offset;
    this.shape = shape.clone();
    this.stride = stride.clone();
  }

  public long[] shape() {
    return shape.clone();
  }

  public TorchDtype dtype() {
    return storage.dtype();
  }

  public long numel() {
    long n = 1;
    for (long s : shape) {
      n = Math.multiplyExact(n, s);
    }
    return n;
  }

  /** The values in C order, converted to float (exact for float32, float16 and bfloat16). */
  public float[] toFloatArray() {
    float[] out = new float[Math.toIntExact(numel())];
    ByteBuffer data = storage.bytes();
    if (storage.dtype() == TorchDtype.FLOAT32 && contiguous()) {
      // Fast path for the common case: one bulk copy.
      data.position(Math.toIntExact(offset * 4));
      data.slice().order(data.order()).asFloatBuffer().get(out);
      return out;
    }
    long[] index = new long[shape.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) storage.dtype().get(data, next(index, i));
    }
    return out;
  }

  /** The values in C order as doubles (exact for every floating type and for integers below 2^53). */
  public double[] toDoubleArray() {
    double[] out = new double[Math.toIntExact(numel())];
    ByteBuffer data = storage.bytes();
    long[] index = new long[shape.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = storage.dtype().get(data, next(index, i));
    }
    return out;
  }

  /** Storage element of the i-th value in C order; {@code index} is the running multi-index (odometer). */
  private long next(long[] index, int i) {
    if (i > 0) {
      for (int d = shape.length - 1; d >= 0; d--) {
        if (++index[d] < shape[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    long at = offset;
    for (int d = 0; d < shape.length; d++) {
      at += index[d] * stride[d];
    }
    return at;
  }

  private boolean contiguous() {
    long expected = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (shape[d] != 1 && stride[d] != expected) {
        return false;
      }
      expected *= shape[d];
    }
    return true;
  }


  @Override
  public String toString() {
    return dtype() + Arrays.toString(shape);
  }
}
