package org.mixbt.core.pytorch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An open {@code torch.save} file: the unpickled root object (dicts as Maps, tensors as {@link TorchTensor},
 * tuples as Object[]). Tensors read their values from the file on demand, so keep it open until they are read.
 */
public final class TorchCheckpoint implements Closeable {
  private final Path file;
  private final Object root;
  private final Closeable resource;

  TorchCheckpoint(Path file, Object root, Closeable resource) {
    this.file = file;
    this.root = root;
    this.resource = resource;
  }

  public Path file() {
    return file;
  }

  /** What was saved: usually a state_dict (an OrderedDict of tensors) or a dict that holds one. */
  public Object root() {
    return root;
  }

  /** The state_dict selected by {@code selection} (see {@link StateDictSelection}). */
  public java.util.Map<String, TorchTensor> stateDict(StateDictSelection selection) {
    return selection.select(root, file.toString());
  }

  @Override
  public void close() throws IOException {
    resource.close();
  }
}
