package org.mixbt.prep;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.mixbt.prep.cli.EncodedSourceCommand;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;

/** {@code PrepJob flowers102}: VGG Flowers-102: jpg/ (or 102flowers.tgz), imagelabels.mat, setid.mat; train, val, test. */
public final class Flowers102Command extends EncodedSourceCommand {
  @Override
  public String name() {
    return "flowers102";
  }

  @Override
  public String summary() {
    return "VGG Flowers-102: jpg/ (or 102flowers.tgz), imagelabels.mat, setid.mat; train, val, test";
  }

  @Override
  protected List<PrepOption> encodedOptions() {
    return List.of(
        PrepOption.required("--input", "DIR", "folder holding jpg/ or 102flowers.tgz, imagelabels.mat and setid.mat"));
  }

  @Override
  protected EncodedImageSource source(PrepOptions o, Configuration conf) throws IOException {
    return new Flowers102Source(o.string("--input"), conf);
  }
}
