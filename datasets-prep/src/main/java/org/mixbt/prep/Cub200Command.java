package org.mixbt.prep;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.mixbt.prep.cli.EncodedSourceCommand;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;

/** {@code PrepJob cub200}: CUB-200-2011 from CUB_200_2011.tgz or its folder, official train/test split. */
public final class Cub200Command extends EncodedSourceCommand {
  @Override
  public String name() {
    return "cub200";
  }

  @Override
  public String summary() {
    return "CUB-200-2011 from CUB_200_2011.tgz or its folder, official train/test split";
  }

  @Override
  protected List<PrepOption> encodedOptions() {
    return List.of(
        PrepOption.required("--input", "PATH", "CUB_200_2011.tgz or the CUB_200_2011 folder"));
  }

  @Override
  protected EncodedImageSource source(PrepOptions o, Configuration conf) throws IOException {
    return new Cub200Source(o.string("--input"), conf);
  }
}
