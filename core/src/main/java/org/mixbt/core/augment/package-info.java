/**
 * View augmentation: turns one stored uint8 HWC image into a float CHW view ready to be copied into an
 * NCHW batch.
 *
 * <p>Everything here works on plain {@code float[]} planes (no ND4J, no Spark) because a view is a few
 * thousand floats and the executors build batches from many of them; array loops are the cheapest way
 * there and are easy to test value for value.
 *
 * <ul>
 *   <li>{@link org.mixbt.core.augment.ViewRandom}: one {@code SplittableRandom} per (seed, epoch, record,
 *       view), so a run draws the same views whatever the partitioning or the number of executors.
 *   <li>{@link org.mixbt.core.augment.RandomResizedCrop}: torchvision's crop sampler, with the bilinear
 *       resize in {@link org.mixbt.core.augment.BilinearResize}.
 *   <li>{@link org.mixbt.core.augment.ImageOps}: the small deterministic steps (pad, flip, brightness,
 *       contrast, normalise, channel repeat).
 *   <li>{@link org.mixbt.core.augment.ViewAugmenter}: what a dataset's training pipeline implements;
 *       {@link org.mixbt.core.augment.GreyscaleViewAugmenter} is the Fashion-MNIST recipe, configured by
 *       {@link org.mixbt.core.augment.GreyscaleViewSettings}.
 *   <li>{@link org.mixbt.core.augment.EvalTransform}: the deterministic evaluation view.
 *   <li>RGB recipes with torchvision-on-PIL semantics, byte-exact: {@link org.mixbt.core.augment.PilResize},
 *       {@link org.mixbt.core.augment.PilColour}, {@link org.mixbt.core.augment.ColorJitter},
 *       {@link org.mixbt.core.augment.PilGaussianBlur}, {@link org.mixbt.core.augment.RgbOps}, put together by
 *       {@link org.mixbt.core.augment.RgbViewAugmenter} from {@link org.mixbt.core.augment.RgbViewSettings};
 *       evaluation by {@link org.mixbt.core.augment.RgbEvalTransform}.
 *   <li>{@link org.mixbt.core.augment.ViewRecipe}: a dataset's two training views and evaluation view
 *       ({@link org.mixbt.core.augment.RgbRecipe} per dataset, or the greyscale settings).
 * </ul>
 */
package org.mixbt.core.augment;
