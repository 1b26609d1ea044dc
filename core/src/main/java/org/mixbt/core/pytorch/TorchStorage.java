package org.mixbt.core.pytorch;

import java.nio.ByteBuffer;

/**
 * A storage named by a checkpoint's pickle: persistent id {@code ('storage', torch.FloatStorage, key, location,
 * numel)}. Its bytes stay in the file until a tensor is read, so a large checkpoint (with optimizer state) costs
 * memory only for the tensors actually used.
 */
public final class TorchStorage {
  /** Where a checkpoint's storages are read from (the zip's data/ entries, or the legacy file's tail). */
  interface Source {
    /** Fails (CheckpointException naming file and entry) unless storage {@code key} holds {@code bytes} bytes. */
    void check(String key, long bytes);

    /** The raw bytes of storage {@code key}, in the file's byte order. */
    ByteBuffer read(String key, long bytes);
  }

  private final TorchDtype dtype;
  private final String key;
  private final long numel;
  private final Source source;

  TorchStorage(TorchDtype dtype, String key, long numel, Source source) {
    if (numel < 0) {
      throw new IllegalArgumentException("storage " + key + " has a negative size: " + numel);
    }
    this.dtype = dtype;
    this.key = key;
    this.numel = numel;
    this.source = source;
    source.check(key, Math.multiplyExact(numel, dtype.itemSize()));
  }

  public TorchDtype dtype() {
    return dtype;
  }

  public String key() {
    return key;
  }

  public long numel() {
    return numel;
  }

  ByteBuffer bytes() {
    return source.read(key, Math.multiplyExact(numel, dtype.itemSize()));
  }
}
