package org.mixbt.prep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.mixbt.core.shard.ShardRecord;

/** A publisher's dataset on the driver's local disk, read split by split into validated records. */
public interface ImageSource {
  /** Dataset name written to the manifest, e.g. "fashion-mnist". */
  String dataset();

  /** Label i is named {@code classNames().get(i)}. */
  List<String> classNames();

  /** Split names in writing order; must include "train" (its statistics go into the manifest). */
  List<String> splits();

  /** Names of the coarse labels (CIFAR-100's superclasses); empty when the dataset has none. */
  default List<String> coarseClassNames() {
    return List.of();
  }

  /** Every record of {@code split} in source-file order (id = index in the file), raw pixels. */
  List<ShardRecord> read(String split) throws IOException;

  /** The publisher files {@code split} is read from, recorded (name, size, sha256) in the manifest. */
  List<Path> sourceFiles(String split);
}
