package org.mixbt.core.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pickle writer against CPython 3.11's own pickler: the expected bytes are
 * {@code pickletools.optimize(pickle.dumps(obj, protocol=2)).hex()} (optimize drops the memo PUTs, which this
 * writer never emits) for the objects named in each test; and back through the restricted unpickler.
 */
class PickleWriterTest {
  static final long[] INTS = {0, 255, 256, 65535, 65536, -1, -(1L << 31), (1L << 31) - 1, 1L << 31, -(1L << 31) - 1,
      -(1L << 40), Long.MAX_VALUE, Long.MIN_VALUE, -128L << 24};

  /**
   * {@code ('storage', 0, 255, 256, 65535, 65536, -1, -2**31, 2**31 - 1, 2**31, -2**31 - 1, -2**40, 2**63 - 1,
   * -2**63, -128 * 2**24, True, False, None, (), (1,), (1, 2), (1, 2, 3), 'ü€ x')}.
   */
  static final String CPYTHON_TUPLE = "800228580700000073746f726167654b004bff4d00014dffff4a000001004affffffff4a000000"
      + "804affffff7f8a0500000080008a05ffffff7fff8a060000000000ff8a08ffffffffffffff7f8a0800000000000000804a000000808889"
      + "4e294b01854b014b02864b014b024b03875807000000c3bce282ac2078742e";
  /** {@code collections.OrderedDict([('a', 1), ('b', (2, 3))])}. */
  static final String CPYTHON_ORDERED_DICT = "800263636f6c6c656374696f6e730a4f726465726564446963740a2952285801000000614b"
      + "015801000000624b024b0386752e";

  @Test
  void writesWhatCPythonWritesForPlainValues() throws IOException {
    PickleWriter p = new PickleWriter().mark().string("storage");
    for (long v : INTS) {
      p.integer(v);
    }
    p.bool(true).bool(false).none().intTuple(new long[0]).intTuple(new long[] {1}).intTuple(new long[] {1, 2})
        .intTuple(new long[] {1, 2, 3}).string("ü€ x").tuple();
    byte[] bytes = p.toByteArray();
    assertEquals(CPYTHON_TUPLE, HexFormat.of().formatHex(bytes));

    Object back = new RestrictedUnpickler(PickleAllowList.builder().build()).load(new ByteArrayInputStream(bytes), "t");
    List<?> items = PickleValues.list(back);
    assertEquals("storage", items.get(0));
    for (int i = 0; i < INTS.length; i++) {
      assertEquals(INTS[i], PickleValues.integer(items.get(1 + i)), "int " + INTS[i]);
    }
    int at = 1 + INTS.length;
    assertEquals(true, items.get(at));
    assertEquals(false, items.get(at + 1));
    assertNull(items.get(at + 2));
    assertEquals(List.of(), PickleValues.list(items.get(at + 3)));
    assertEquals(3, PickleValues.list(items.get(at + 6)).size());
    assertEquals("ü€ x", items.get(at + 7));
  }

  @Test
  void writesWhatCPythonWritesForAnOrderedDict() throws IOException {
    byte[] bytes = new PickleWriter().global("collections", "OrderedDict").tupleOf(0).reduce().mark().string("a")
        .integer(1).string("b").integer(2).integer(3).tupleOf(2).setItems().toByteArray();
    assertEquals(CPYTHON_ORDERED_DICT, HexFormat.of().formatHex(bytes));
    PickleAllowList allow = PickleAllowList.builder().allow("collections", "OrderedDict", args -> new LinkedHashMap<>())
        .build();
    Object back = new RestrictedUnpickler(allow).load(new ByteArrayInputStream(bytes), "od");
    Map<String, Object> dict = PickleValues.dict(back);
    assertInstanceOf(LinkedHashMap.class, back);
    assertEquals(List.of("a", "b"), List.copyOf(dict.keySet()));
    assertArrayEquals(new long[] {2, 3}, PickleValues.list(dict.get("b")).stream().mapToLong(PickleValues::integer)
        .toArray());
  }

  @Test
  void refusesWhatItCannotWrite() {
    PickleWriter p = new PickleWriter();
    assertThrows(IllegalArgumentException.class, () -> p.tupleOf(4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.global("os\n", "system"));
    assertEquals("Cannot pickle global os\n.system: newline in the name", e.getMessage());
  }
}
