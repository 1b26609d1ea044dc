package org.mixbt.core.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Emits a pickle (protocol 2) opcode by opcode, for files that Python reads with {@code pickle.load} or
 * {@code torch.load}. Only what a state_dict needs: strings, integers, booleans, None, tuples, globals, REDUCE,
 * persistent ids and dict items. No memo is written: the objects a state_dict pickle holds are never shared,
 * so every reference is written out in full (Python's own pickler memoises only to save bytes and cycles).
 * The caller sequences the opcodes; {@link #toByteArray()} ends the pickle with STOP.
 */
public final class PickleWriter {
  private static final int PROTO = 0x80;
  private static final int MARK = '(';
  private static final int STOP = '.';
  private static final int GLOBAL = 'c';
  private static final int BINUNICODE = 'X';
  private static final int BININT1 = 'K';
  private static final int BININT2 = 'M';
  private static final int BININT = 'J';
  private static final int LONG1 = 0x8a;
  private static final int NONE = 'N';
  private static final int NEWTRUE = 0x88;
  private static final int NEWFALSE = 0x89;
  private static final int EMPTY_TUPLE = ')';
  private static final int TUPLE = 't';
  private static final int[] SMALL_TUPLES = {EMPTY_TUPLE, 0x85, 0x86, 0x87};
  private static final int REDUCE = 'R';
  private static final int BINPERSID = 'Q';
  private static final int SETITEMS = 'u';
  private static final int EMPTY_DICT = '}';

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private boolean stopped;

  /** Starts a protocol-2 pickle (readable by every Python 3 and by Python 2.3+). */
  public PickleWriter() {
    out.write(PROTO);
    out.write(2);
  }

  /** Pushes {@code module.name} (GLOBAL; module and name must not contain a newline). */
  public PickleWriter global(String module, String name) {
    if (module.indexOf('\n') >= 0 || name.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("Cannot pickle global " + module + "." + name + ": newline in the name");
    }
    out.write(GLOBAL);
    ascii(module + "\n" + name + "\n");
    return this;
  }

  /** Pushes a str (BINUNICODE, UTF-8). */
  public PickleWriter string(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.write(BINUNICODE);
    int32(bytes.length);
    out.write(bytes, 0, bytes.length);
    return this;
  }

  /** Pushes an int, in the shortest opcode that holds it. */
  public PickleWriter integer(long value) {
    if (value >= 0 && value < 0x100) {
      out.write(BININT1);
      out.write((int) value);
    } else if (value >= 0 && value < 0x10000) {
      out.write(BININT2);
      out.write((int) value & 0xff);
      out.write((int) (value >>> 8) & 0xff);
    } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
      out.write(BININT);
      int32((int) value);
    } else {
      // LONG1: length byte, then the shortest two's-complement little-endian bytes (as CPython writes them).
      byte[] bigEndian = java.math.BigInteger.valueOf(value).toByteArray();
      out.write(LONG1);
      out.write(bigEndian.length);
      for (int i = bigEndian.length - 1; i >= 0; i--) {
        out.write(bigEndian[i]);
      }
    }
    return this;
  }

  public PickleWriter bool(boolean value) {
    out.write(value ? NEWTRUE : NEWFALSE);
    return this;
  }

  public PickleWriter none() {
    out.write(NONE);
    return this;
  }

  /** Pushes the MARK that {@link #tuple()} and {@link #setItems()} pop back to. */
  public PickleWriter mark() {
    out.write(MARK);
    return this;
  }

  /** Replaces everything pushed since the last {@link #mark()} by a tuple of it. */
  public PickleWriter tuple() {
    out.write(TUPLE);
    return this;
  }

  /** Replaces the top {@code n} (0..3) items by a tuple of them, without a MARK (EMPTY_TUPLE, TUPLE1..3). */
  public PickleWriter tupleOf(int n) {
    if (n < 0 || n >= SMALL_TUPLES.length) {
      throw new IllegalArgumentException("Cannot pickle a short tuple of " + n + " items: use mark() and tuple()");
    }
    out.write(SMALL_TUPLES[n]);
    return this;
  }

  /** A tuple of ints (a tensor's size or stride). */
  public PickleWriter intTuple(long[] values) {
    if (values.length < SMALL_TUPLES.length) {
      for (long v : values) {
        integer(v);
      }
      return tupleOf(values.length);
    }
    mark();
    for (long v : values) {
      integer(v);
    }
    return tuple();
  }

  /** Calls the callable under the top item with the top item (a tuple) as its arguments. */
  public PickleWriter reduce() {
    out.write(REDUCE);
    return this;
  }

  /** Replaces the top item by the object the unpickler's persistent_load returns for it. */
  public PickleWriter persistentId() {
    out.write(BINPERSID);
    return this;
  }

  public PickleWriter emptyDict() {
    out.write(EMPTY_DICT);
    return this;
  }

  /** Sets the key/value pairs pushed since the last {@link #mark()} on the dict below the mark. */
  public PickleWriter setItems() {
    out.write(SETITEMS);
    return this;
  }

  /** The finished pickle (STOP appended once). */
  public byte[] toByteArray() {
    if (!stopped) {
      out.write(STOP);
      stopped = true;
    }
    return out.toByteArray();
  }

  private void int32(int v) {
    out.write(v & 0xff);
    out.write((v >>> 8) & 0xff);
    out.write((v >>> 16) & 0xff);
    out.write((v >>> 24) & 0xff);
  }

  private void ascii(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    out.write(bytes, 0, bytes.length);
  }
}
