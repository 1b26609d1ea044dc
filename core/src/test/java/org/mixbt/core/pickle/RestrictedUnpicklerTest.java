package org.mixbt.core.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mixbt.core.data.DatasetFormatException;

/**
 * The restricted unpickler on pickles written by CPython with numpy 1.24 (src/test/resources/pickle, see
 * make_pickles.py there) and on hand-written hostile opcode sequences.
 */
class RestrictedUnpicklerTest {
  static final RestrictedUnpickler NUMPY = new RestrictedUnpickler(NumpyPickles.ALLOW_LIST);

  @Test
  void rebuildsAUint8ArrayPickledByPython3AtProtocol2() throws IOException {
    NumpyArray a = (NumpyArray) load("array_u1_protocol2.pkl");
    assertArrayEquals(new long[] {2, 3}, a.shape());
    assertEquals("|u1", a.dtype().toString());
    assertArrayEquals(new byte[] {0, 1, (byte) 255, (byte) 128, 7, 42}, a.data());
  }

  @Test
  void rebuildsAnInt32ArrayPickledAtProtocol4() throws IOException {
    NumpyArray a = (NumpyArray) load("array_i4_protocol4.pkl");
    assertArrayEquals(new long[] {3}, a.shape());
    assertEquals("<i4", a.dtype().toString());
    assertEquals(4, a.dtype().itemSize());
    // 1, -2, 300000 little-endian.
    assertArrayEquals(new byte[] {1, 0, 0, 0, -2, -1, -1, -1, (byte) 0xE0, (byte) 0x93, 4, 0}, a.data());
  }

  @Test
  void byteStringKeysReadAsText() throws IOException {
    Map<String, Object> d = PickleValues.dict(load("dict_bytes_keys_protocol3.pkl"));
    assertEquals(java.util.Set.of("data", "labels"), d.keySet());
    assertArrayEquals(new byte[] {0, 1, 2, 3}, ((NumpyArray) d.get("data")).data());
    assertEquals(List.of(3, 1), PickleValues.list(d.get("labels")));
  }

  @Test
  void refusesOsSystemPickledByPython() {
    // os.system pickles as posix.system on Linux.
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> load("os_system_protocol2.pkl"));
    assertEquals("Cannot read os_system_protocol2.pkl: pickle global not allowed: posix.system (allowed: "
        + "numpy.core.multiarray._reconstruct, numpy._core.multiarray._reconstruct, numpy.ndarray, numpy.dtype, "
        + "_codecs.encode)", e.getMessage());
  }

  @Test
  void refusesEvalThroughStackGlobal() {
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> load("eval_protocol4.pkl"));
    assertTrue(e.getMessage().startsWith("Cannot read eval_protocol4.pkl: pickle global not allowed: builtins.eval "),
        e.getMessage());
  }

  @Test
  void refusesHandWrittenGlobalsOfEveryOpcode() {
    // Protocol 0: GLOBAL os.system, REDUCE.
    assertRefused("cos\nsystem\n(S'touch /tmp/x'\ntR.", "os.system");
    // INST subprocess.Popen with an argument list.
    assertRefused("(S'ls'\nisubprocess\nPopen\n.", "subprocess.Popen");
    // Protocol 4 STACK_GLOBAL of builtins.exec.
    assertRefused("\u0080\u0004\u008c\u0008builtins\u008c\u0004exec\u0093\u008c\u00011\u0085R.", "builtins.exec");
    // An allowed global must not smuggle in another one: the refusal comes at the GLOBAL, before any call.
    assertRefused("cnumpy\ndtype\n(cos\nsystem\ntR.", "os.system");
  }

  @Test
  void refusesBuildOnPlainValuesAndCallsOfNonGlobals() {
    // BUILD on a dict would be Pyrolite's reflective __setstate__ lookup; we never do that.
    assertMalformed("}}b.", "pickle BUILD (setstate) on a value that is not an allowed object not allowed: LinkedHashMap");
    // REDUCE with a string as the callable.
    assertMalformed("S'os.system'\n)R.", "pickle call of a value that is not an allowed global not allowed: String");
    // numpy.ndarray may be passed to _reconstruct but not called.
    assertMalformed("cnumpy\nndarray\n)R.", "cannot rebuild numpy.ndarray: pickle calls numpy.ndarray, which may only "
        + "be passed as a value");
  }

  @Test
  void refusesObjectArrays() {
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> load("object_array_protocol2.pkl"));
    assertEquals("Cannot read object_array_protocol2.pkl: cannot rebuild numpy.dtype: unsupported numpy dtype "
        + "(plain numeric types only): O8", e.getMessage());
  }

  @Test
  void persistentIdsNeedALoader() throws IOException {
    // BINPERSID with a tuple id, as PyTorch writes its storages.
    String pickle = "\u0080\u0002U\u0007storageK\u0003\u0086Q.";
    assertMalformed(pickle, "pickle persistent id not allowed: tuple");
    RestrictedUnpickler withLoader = new RestrictedUnpickler(PickleAllowList.builder().build(),
        pid -> "loaded " + PickleValues.list(pid));
    assertEquals("loaded [storage, 3]", withLoader.load(bytes(pickle), "t.pkl"));
  }

  @Test
  void dictsKeepTheirPickledOrder() throws IOException {
    // {"z": 1, "a": 2, "m": 3} by EMPTY_DICT, MARK, SETITEMS (protocol 2); a HashMap would reorder them.
    Object d = NUMPY.load(bytes("\u0080\u0002}(X\u0001\u0000\u0000\u0000zK\u0001X\u0001\u0000\u0000\u0000aK\u0002"
        + "X\u0001\u0000\u0000\u0000mK\u0003u."), "o.pkl");
    assertEquals(List.of("z", "a", "m"), List.copyOf(((Map<?, ?>) d).keySet()));
  }

  @Test
  void anotherCallerBringsItsOwnAllowList() throws IOException {
    // What a PyTorch importer would do: its own globals plus numpy's.
    PickleAllowList torchLike = PickleAllowList.builder()
        .allowAll(NumpyPickles.ALLOW_LIST)
        .allow("collections", "OrderedDict", args -> new LinkedHashMap<>())
        .build();
    Object d = new RestrictedUnpickler(torchLike).load(bytes("ccollections\nOrderedDict\n)R(S'w'\nK\u0001u."), "m.pth");
    assertEquals(Map.of("w", 1), d);
    assertEquals(LinkedHashMap.class, d.getClass());
    // …and the numpy list alone refuses it.
    assertRefused("ccollections\nOrderedDict\n)R.", "collections.OrderedDict");
  }

  @Test
  void truncatedPickle() throws IOException {
    byte[] whole;
    try (InputStream in = resource("array_u1_protocol2.pkl")) {
      whole = in.readAllBytes();
    }
    byte[] cut = java.util.Arrays.copyOf(whole, 150);
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> NUMPY.load(new ByteArrayInputStream(cut), "cut.pkl"));
    assertTrue(e.getMessage().startsWith("Cannot read cut.pkl: truncated or unreadable pickle: "), e.getMessage());
  }

  // ---- helpers

  static Object load(String name) throws IOException {
    try (InputStream in = resource(name)) {
      return NUMPY.load(in, name);
    }
  }

  static InputStream resource(String name) {
    return RestrictedUnpicklerTest.class.getResourceAsStream("/pickle/" + name);
  }

  /** A pickle written with one char per byte (all chars below 256). */
  static InputStream bytes(String opcodes) {
    return new ByteArrayInputStream(opcodes.getBytes(StandardCharsets.ISO_8859_1));
  }

  static void assertRefused(String pickle, String global) {
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> NUMPY.load(bytes(pickle), "x.pkl"));
    assertTrue(e.getMessage().startsWith("Cannot read x.pkl: pickle global not allowed: " + global + " (allowed: "),
        e.getMessage());
  }

  static void assertMalformed(String pickle, String expected) {
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> NUMPY.load(bytes(pickle), "x.pkl"));
    assertEquals("Cannot read x.pkl: " + expected, e.getMessage());
  }
}
