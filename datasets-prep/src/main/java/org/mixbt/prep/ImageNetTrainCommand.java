package org.mixbt.prep;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.mixbt.prep.cli.EncodedSourceCommand;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;

/** {@code PrepJob imagenet-train}: ImageNet's ILSVRC2012_img_train.tar (a tar of per-class tars), streamed without extracting. */
public final class ImageNetTrainCommand extends EncodedSourceCommand {
  @Override
  public String name() {
    return "imagenet-train";
  }

  @Override
  public String summary() {
    return "ImageNet's ILSVRC2012_img_train.tar (a tar of per-class tars), streamed without extracting";
  }

  @Override
  protected List<PrepOption> encodedOptions() {
    return List.of(
        PrepOption.required("--input", "TAR", "ILSVRC2012_img_train.tar (any Hadoop path)"));
  }

  @Override
  protected EncodedImageSource source(PrepOptions o, Configuration conf) throws IOException {
    return new ImageNetTrainTarSource(o.string("--input"), conf);
  }
}
