package org.mixbt.core.pickle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed access to unpickled values. Python 2 {@code str} (the CIFAR files were written by Python 2) arrives as a
 * Java String of chars 0..255, Python 3 {@code bytes} as byte[]; both stand for bytes, and as text they are read
 * as Latin-1, which is what {@code pickle.load(f, encoding="latin1")} does in torchvision.
 */
public final class PickleValues {
  private PickleValues() {}

  /** A String, or a byte string read as Latin-1. */
  public static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof byte[] b) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
    throw new IllegalArgumentException("expected a string, found " + typeName(value));
  }

  /** A byte string: byte[] as is, a Python 2 str (chars 0..255) as its bytes. */
  public static byte[] bytes(Object value) {
    if (value instanceof byte[] b) {
      return b;
    }
    if (value instanceof String s) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) > 0xFF) {
          throw new IllegalArgumentException("expected a byte string, found a text string with char U+"
              + Integer.toHexString(s.charAt(i)) + " at " + i);
        }
      }
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    throw new IllegalArgumentException("expected a byte string, found " + typeName(value));
  }

  /** A dict whose keys are strings or byte strings, with keys as text, in iteration order. */
  public static Map<String, Object> dict(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("expected a dict, found " + typeName(value));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(text(k), v));
    return out;
  }

  /** A list or tuple. */
  public static List<?> list(Object value) {
    if (value instanceof List<?> l) {
      return l;
    }
    if (value instanceof Object[] tuple) {
      return Arrays.asList(tuple);
    }
    throw new IllegalArgumentException("expected a list, found " + typeName(value));
  }

  /** A Python int that fits in a long. */
  public static long integer(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    throw new IllegalArgumentException("expected an integer, found " + typeName(value) + " " + value);
  }

  static String typeName(Object value) {
    return value == null ? "None" : value instanceof Object[] ? "tuple" : value.getClass().getSimpleName();
  }
}
