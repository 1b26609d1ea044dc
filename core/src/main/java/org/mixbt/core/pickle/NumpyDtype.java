package org.mixbt.core.pickle;

/**
 * A numpy dtype as pickled: {@code numpy.dtype(descr, align, copy)} then BUILD with {@code (version, byte order,
 * …)}. Only plain numeric kinds are accepted (b, i, u, f, c with a size), never object arrays.
 */
public final class NumpyDtype implements PickleBuildable {
  private final String descr;
  private String byteOrder = "|";

  NumpyDtype(String descr) {
    if (descr.length() < 2 || "biufc".indexOf(descr.charAt(0)) < 0 || !descr.substring(1).matches("[0-9]+")) {
      throw new IllegalArgumentException("unsupported numpy dtype (plain numeric types only): " + descr);
    }
    this.descr = descr;
  }

  /** Type code and size, e.g. "u1", "f4". */
  public String descr() {
    return descr;
  }

  /** "|" (not applicable), "<" (little-endian), ">" (big-endian) or "=" (native). */
  public String byteOrder() {
    return byteOrder;
  }

  public int itemSize() {
    return Integer.parseInt(descr.substring(1));
  }

  @Override
  public void setState(Object state) {
    var items = PickleValues.list(state);
    if (items.size() < 2) {
      throw new IllegalArgumentException("dtype state has " + items.size() + " items");
    }
    byteOrder = PickleValues.text(items.get(1));
    if (!"|<>=".contains(byteOrder) || byteOrder.length() != 1) {
      throw new IllegalArgumentException("unknown dtype byte order: " + byteOrder);
    }
  }

  @Override
  public String toString() {
    return byteOrder + descr;
  }
}
