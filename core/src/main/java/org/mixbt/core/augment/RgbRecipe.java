package org.mixbt.core.augment;

/**
 * The RGB recipes of the original code, one per dataset; {@code view1} and {@code view2} differ only for
 * ImageNet.
 *
 * @param name recipe name, as in the configuration
 */
public record RgbRecipe(String name, RgbViewSettings view1, RgbViewSettings view2, RgbEvalSettings eval)
    implements ViewRecipe {

  public RgbRecipe {
    if (view1.cropSize() != view2.cropSize() || eval.outputSize() != view1.cropSize()) {
      throw new IllegalArgumentException("Cannot build view recipe " + name + ": views must share one size: "
          + view1.cropSize() + ", " + view2.cropSize() + ", evaluation " + eval.outputSize());
    }
  }

  public static RgbRecipe cifar() {
    RgbViewSettings v = RgbViewSettings.cifar();
    return new RgbRecipe("cifar", v, v, RgbEvalSettings.plain(v));
  }

  public static RgbRecipe tinyImageNet() {
    RgbViewSettings v = RgbViewSettings.tinyImageNet();
    return new RgbRecipe("tiny-imagenet", v, v, RgbEvalSettings.plain(v));
  }

  /** STL-10: evaluation is Resize(70, bicubic) + CenterCrop(64). */
  public static RgbRecipe stl10() {
    RgbViewSettings v = RgbViewSettings.stl10();
    return new RgbRecipe("stl10", v, v, new RgbEvalSettings(70, PilFilter.BICUBIC, 64, 64, v.mean(), v.std()));
  }

  /** ImageNet: the asymmetric pair; evaluation is Resize(256) + CenterCrop(224) (bilinear, as evaluate_imagenet.py). */
  public static RgbRecipe imageNet() {
    RgbViewSettings v = RgbViewSettings.imageNet(0);
    return new RgbRecipe("imagenet", v, RgbViewSettings.imageNet(1),
        new RgbEvalSettings(256, PilFilter.BILINEAR, 224, 224, v.mean(), v.std()));
  }

  @Override
  public ViewAugmenter augmenter(int view) {
    ViewRecipe.checkView(view);
    return new RgbViewAugmenter(view == 0 ? view1 : view2);
  }

  @Override
  public EvalView evalView() {
    return new RgbEvalTransform(eval);
  }

  @Override
  public int outputChannels() {
    return 3;
  }

  @Override
  public int outputSize() {
    return view1.cropSize();
  }
}
