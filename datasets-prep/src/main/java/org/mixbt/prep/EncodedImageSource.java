package org.mixbt.prep;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.shard.ShardManifest;

/**
 * A dataset of encoded image files (JPEG, PNG, …) read distributed by {@link EncodedShardWriter}: the driver
 * only lists the files (or stages an archive's members as files); executors read and decode them.
 */
public interface EncodedImageSource {
  /** Dataset name written to the manifest. */
  String dataset();

  /** Label i is named {@code classNames().get(i)}. */
  List<String> classNames();

  /** Split names in writing order; must include "train" (its statistics go into the manifest). */
  List<String> splits();

  /**
   * True to store decoded RGB pixels (every image must then have the same size), false to keep each file's
   * encoded bytes.
   */
  default boolean storeRaw() {
    return false;
  }

  /**
   * The image files of {@code split} in id order (id = position in this list), validated (labels, class
   * folders, annotation files). An archive's members are first written below {@code staging} (a folder in
   * the temporary output, deleted by the writer), streamed, never held in memory.
   */
  SplitFiles files(String split, FileSystem fs, Path staging) throws IOException;

  /** One image file: its fully qualified path, its name in the publisher's layout (the shard's source), its label. */
  record ImageFile(String path, String name, int label) implements java.io.Serializable {}

  /**
   * A split's files, the folders that hold them (read recursively with Spark's binaryFile source; other
   * files there are ignored), and the publisher files described in the manifest.
   */
  record SplitFiles(List<ImageFile> files, List<String> roots, List<ShardManifest.SourceFile> sourceFiles) {}
}
