package org.mixbt.core.augment;

/**
 * Per-thread growable work arrays, so that making a view allocates nothing once a thread is warm. Each
 * caller uses its own slot; a slot is only valid until the same thread asks for that slot again.
 */
final class Scratch {
  static final int SLOTS = 6;
  private static final ThreadLocal<byte[][]> BYTES = ThreadLocal.withInitial(() -> new byte[SLOTS][0]);
  private static final ThreadLocal<int[][]> INTS = ThreadLocal.withInitial(() -> new int[SLOTS][0]);

  private Scratch() {}

  static byte[] bytes(int slot, int length) {
    byte[][] all = BYTES.get();
    if (all[slot].length < length) {
      all[slot] = new byte[length];
    }
    return all[slot];
  }

  static int[] ints(int slot, int length) {
    int[][] all = INTS.get();
    if (all[slot].length < length) {
      all[slot] = new int[length];
    }
    return all[slot];
  }
}
