/**
 * PyTorch checkpoints in: {@link org.mixbt.core.pytorch.TorchCheckpointReader} opens {@code torch.save} files
 * (zip and legacy formats) through the restricted unpickler, so that only dicts, plain values and tensors can be
 * built; {@link org.mixbt.core.pytorch.TorchCheckpointImporter} copies a state_dict into our networks by name
 * ({@link org.mixbt.core.pytorch.TorchParameterNames}), strictly. Weights out, through the same table:
 * {@link org.mixbt.core.pytorch.TorchvisionStateDict} names an encoder's tensors as torchvision does,
 * {@link org.mixbt.core.pytorch.TorchSaveWriter} writes them as {@code torch.save} would and
 * {@link org.mixbt.core.pytorch.SafetensorsWriter} as safetensors, neither needing PyTorch.
 */
package org.mixbt.core.pytorch;
