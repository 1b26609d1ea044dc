package org.mixbt.core.pickle;

import java.util.List;

/**
 * A numpy ndarray as pickled: {@code numpy.core.multiarray._reconstruct(ndarray, (0,), b'b')} then BUILD with
 * {@code ([version,] shape, dtype, is_fortran, raw data)}. C-order data only (what numpy writes for arrays
 * created in C order, as CIFAR's are).
 */
public final class NumpyArray implements PickleBuildable {
  private long[] shape;
  private NumpyDtype dtype;
  private byte[] data;

  NumpyArray() {}

  public long[] shape() {
    return shape.clone();
  }

  public NumpyDtype dtype() {
    return dtype;
  }

  /** The raw C-order element bytes (not copied: do not modify). */
  public byte[] data() {
    return data;
  }

  @Override
  public void setState(Object state) {
    List<?> items = PickleValues.list(state);
    // numpy's __setstate__ takes (version, shape, dtype, is_fortran, data) or the older 4-tuple without version.
    int first = items.size() == 5 ? 1 : 0;
    if (items.size() != 4 && items.size() != 5) {
      throw new IllegalArgumentException("ndarray state has " + items.size() + " items, expected 4 or 5");
    }
    List<?> dims = PickleValues.list(items.get(first));
    long[] s = new long[dims.size()];
    long count = 1;
    for (int i = 0; i < s.length; i++) {
      s[i] = PickleValues.integer(dims.get(i));
      if (s[i] < 0) {
        throw new IllegalArgumentException("negative ndarray dimension: " + s[i]);
      }
      count = Math.multiplyExact(count, s[i]);
    }
    if (!(items.get(first + 1) instanceof NumpyDtype d)) {
      throw new IllegalArgumentException("ndarray dtype is " + PickleValues.typeName(items.get(first + 1)));
    }
    if (Boolean.TRUE.equals(items.get(first + 2))) {
      throw new IllegalArgumentException("Fortran-order ndarray not supported");
    }
    byte[] raw = PickleValues.bytes(items.get(first + 3));
    if (raw.length != count * d.itemSize()) {
      throw new IllegalArgumentException("ndarray of shape " + java.util.Arrays.toString(s) + " and dtype " + d
          + " needs " + count * d.itemSize() + " data bytes, found " + raw.length);
    }
    shape = s;
    dtype = d;
    data = raw;
  }
}
