package org.mixbt.core.augment;

import java.io.Serializable;

/**
 * The evaluation transform of an RGB dataset: optional {@code Resize(resize, interpolation)} (shorter side,
 * torchvision's rule), optional {@code CenterCrop(crop)}, then {@code ToTensor} + {@code Normalize}.
 *
 * @param resize shorter side after resizing; 0 = no resize
 * @param interpolation PIL filter of the resize
 * @param crop side of the centre crop; 0 = no crop
 * @param outputSize side of the resulting square view (the network's input size); images that do not end
 *     up this size are refused
 */
public record RgbEvalSettings(int resize, PilFilter interpolation, int crop, int outputSize, Rgb mean,
    Rgb std) implements Serializable {

  public RgbEvalSettings {
    if (resize < 0 || crop < 0 || outputSize <= 0 || interpolation == null || mean == null || std == null) {
      throw new IllegalArgumentException("Cannot configure evaluation view: need resize >= 0, crop >= 0, "
          + "output size > 0, an interpolation, mean and std: " + resize + ", " + crop + ", " + outputSize
          + ", " + interpolation + ", " + mean + ", " + std);
    }
    if (crop > 0 && crop != outputSize) {
      throw new IllegalArgumentException("Cannot configure evaluation view: the centre crop " + crop
          + " must equal the view size " + outputSize);
    }
  }

  /** No resize, no crop: the image must already be the training view's size (CIFAR, Tiny-ImageNet). */
  public static RgbEvalSettings plain(RgbViewSettings training) {
    return new RgbEvalSettings(0, PilFilter.BILINEAR, 0, training.cropSize(), training.mean(), training.std());
  }
}
