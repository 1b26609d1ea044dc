package org.mixbt.core.pickle;

/** What a pickle of numpy arrays may name, and nothing more: the allow-list for CIFAR's python batches. */
public final class NumpyPickles {
  /**
   * {@code numpy.core.multiarray._reconstruct} (numpy 2 also writes {@code numpy._core.multiarray}), the
   * {@code numpy.ndarray} type it is given, {@code numpy.dtype}, and {@code _codecs.encode}, which Python 3
   * calls to pickle {@code bytes} at protocol 2 (Python 2's cPickle writes them as BINSTRING instead).
   */
  public static final PickleAllowList ALLOW_LIST = PickleAllowList.builder()
      .allow("numpy.core.multiarray", "_reconstruct", NumpyPickles::reconstruct)
      .allow("numpy._core.multiarray", "_reconstruct", NumpyPickles::reconstruct)
      .allow("numpy", "ndarray", PickleAllowList.marker("numpy", "ndarray"))
      .allow("numpy", "dtype", args -> new NumpyDtype(PickleValues.text(args[0])))
      .allow("_codecs", "encode", NumpyPickles::latin1Encode)
      .build();

  private NumpyPickles() {}

  /** {@code _reconstruct(numpy.ndarray, (0,), b'b')}: an empty array that BUILD fills. */
  private static Object reconstruct(Object[] args) {
    if (args.length != 3 || !(args[0] instanceof PickleGlobal g) || !g.is("numpy", "ndarray")) {
      throw new IllegalArgumentException("expected _reconstruct(numpy.ndarray, shape, typecode), found "
          + args.length + " arguments, the first " + PickleValues.typeName(args.length > 0 ? args[0] : null));
    }
    return new NumpyArray();
  }

  /** {@code _codecs.encode(text, 'latin1')}: the bytes of a text whose chars are 0..255. */
  private static Object latin1Encode(Object[] args) {
    if (args.length != 2 || !PickleValues.text(args[1]).replace("-", "").equalsIgnoreCase("latin1")) {
      throw new IllegalArgumentException("only _codecs.encode(text, 'latin1') is supported");
    }
    return PickleValues.bytes(PickleValues.text(args[0]));
  }
}
