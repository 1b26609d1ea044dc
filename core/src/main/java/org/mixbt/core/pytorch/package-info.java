/**
 * PyTorch checkpoints in: {@link org.mixbt.core.pytorch.TorchCheckpointReader} opens {@code torch.save} files
 * (zip and legacy formats) through the restricted unpickler, so that only dicts, plain values and tensors can be
 * built; {@link org.mixbt.core.pytorch.TorchCheckpointImporter} copies a state_dict into our networks by name
 * ({@link org.mixbt.core.pytorch.TorchParameterNames}), strictly.
 */
package org.mixbt.core.pytorch;
