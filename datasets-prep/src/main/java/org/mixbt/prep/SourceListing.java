package org.mixbt.prep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.mixbt.core.shard.ShardManifest;

/**
 * The manifest's description of a folder tree read file by file: hashing the contents of a million files on
 * the driver would cost as much as the conversion, so the entry holds the total size and the sha256 of the
 * listing ("name\tsize\n" per file, in id order), which changes when a file is added, removed, renamed or
 * resized.
 */
final class SourceListing {
  private SourceListing() {}

  /** One file of a listing. */
  record Entry(String name, long size) {}

  static ShardManifest.SourceFile describe(String name, List<Entry> entries) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without SHA-256", e);
    }
    long total = 0;
    for (Entry e : entries) {
      digest.update((e.name() + "\t" + e.size() + "\n").getBytes(StandardCharsets.UTF_8));
      total += e.size();
    }
    return new ShardManifest.SourceFile(name, total, HexFormat.of().formatHex(digest.digest()));
  }
}
