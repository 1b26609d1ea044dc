package org.mixbt.core.pytorch;

import java.util.List;

/**
 * What an import did.
 *
 * @param layout the key layout used
 * @param tensors tensors copied into the network
 * @param values numbers copied
 * @param ignoredKeys checkpoint keys deliberately not used (BN num_batches_tracked; head keys when encoder-only)
 */
public record ImportReport(TorchKeyLayout layout, int tensors, long values, List<String> ignoredKeys) {
  public ImportReport {
    ignoredKeys = List.copyOf(ignoredKeys);
  }
}
