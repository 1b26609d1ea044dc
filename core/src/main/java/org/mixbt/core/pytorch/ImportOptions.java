package org.mixbt.core.pytorch;

/**
 * How a checkpoint is matched to a network.
 *
 * @param selection where the state_dict is in the file and which key prefix to strip
 * @param layout how the checkpoint names modules; null = {@link TorchKeyLayout#detect detect} from the keys
 * @param encoderOnly true: the checkpoint's projector (and torchvision's classifier {@code fc}) keys are ignored and
 *     the network's projector, if it has one, keeps its weights (for a feature extractor, or to start a new
 *     projector); every encoder key must still match exactly
 */
public record ImportOptions(StateDictSelection selection, TorchKeyLayout layout, boolean encoderOnly) {
  /** Automatic selection and layout; the whole network must match. */
  public static final ImportOptions STRICT = new ImportOptions(StateDictSelection.AUTO, null, false);
  /** Automatic selection and layout; encoder only. */
  public static final ImportOptions ENCODER_ONLY = new ImportOptions(StateDictSelection.AUTO, null, true);

  public ImportOptions {
    if (selection == null) {
      throw new IllegalArgumentException("Cannot import a checkpoint: selection must be given (StateDictSelection.AUTO)");
    }
  }
}
