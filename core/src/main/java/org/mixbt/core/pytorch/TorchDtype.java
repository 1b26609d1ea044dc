package org.mixbt.core.pytorch;

import java.nio.ByteBuffer;

/**
 * Element types of PyTorch storages, named as {@code torch.save} pickles them ({@code torch.FloatStorage}, …;
 * an untyped storage holds bytes). Values are decoded from a storage's bytes in the file's byte order.
 */
public enum TorchDtype {
  FLOAT32("FloatStorage", 4, true),
  FLOAT64("DoubleStorage", 8, true),
  FLOAT16("HalfStorage", 2, true),
  BFLOAT16("BFloat16Storage", 2, true),
  INT64("LongStorage", 8, false),
  INT32("IntStorage", 4, false),
  INT16("ShortStorage", 2, false),
  INT8("CharStorage", 1, false),
  UINT8("ByteStorage", 1, false),
  BOOL("BoolStorage", 1, false);

  private final String storageClass;
  private final int itemSize;
  private final boolean floating;

  TorchDtype(String storageClass, int itemSize, boolean floating) {
    this.storageClass = storageClass;
    this.itemSize = itemSize;
    this.floating = floating;
  }

  /** The class name in module {@code torch}, e.g. "FloatStorage". */
  public String storageClass() {
    return storageClass;
  }

  public int itemSize() {
    return itemSize;
  }

  public boolean floating() {
    return floating;
  }

  /** Element {@code index} of {@code data} (positioned at 0, in the file's byte order) as a double. */
  double get(ByteBuffer data, long index) {
    int at = Math.toIntExact(index * itemSize);
    return switch (this) {
      case FLOAT32 -> data.getFloat(at);
      case FLOAT64 -> data.getDouble(at);
      case FLOAT16 -> halfToFloat(data.getShort(at));
      // bfloat16 is the upper half of a float32.
      case BFLOAT16 -> Float.intBitsToFloat((data.getShort(at) & 0xFFFF) << 16);
      case INT64 -> data.getLong(at);
      case INT32 -> data.getInt(at);
      case INT16 -> data.getShort(at);
      case INT8 -> data.get(at);
      case UINT8, BOOL -> data.get(at) & 0xFF;
    };
  }

  /** IEEE 754 binary16 to float (exact: every half is a float). */
  static float halfToFloat(short bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Subnormal (or zero): mantissa · 2^-24.
      float value = mantissa * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
