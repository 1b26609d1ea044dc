package org.mixbt.prep;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.mixbt.prep.cli.EncodedSourceCommand;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;

/** {@code PrepJob tiny-imagenet}: Tiny-ImageNet from tiny-imagenet-200.zip or its folder: train, val labelled by val_annotations.txt. */
public final class TinyImageNetCommand extends EncodedSourceCommand {
  @Override
  public String name() {
    return "tiny-imagenet";
  }

  @Override
  public String summary() {
    return "Tiny-ImageNet from tiny-imagenet-200.zip or its folder: train, val labelled by val_annotations.txt";
  }

  @Override
  protected List<PrepOption> encodedOptions() {
    return List.of(
        PrepOption.required("--input", "PATH", "tiny-imagenet-200.zip or the tiny-imagenet-200 folder"));
  }

  @Override
  protected EncodedImageSource source(PrepOptions o, Configuration conf) throws IOException {
    return new TinyImageNetSource(o.string("--input"), conf);
  }
}
