package org.mixbt.prep;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.mixbt.prep.cli.EncodedSourceCommand;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;

/** {@code PrepJob dtd}: DTD textures from dtd-r1.0.1.tar.gz or its folder, official split files of one fold. */
public final class DtdCommand extends EncodedSourceCommand {
  @Override
  public String name() {
    return "dtd";
  }

  @Override
  public String summary() {
    return "DTD textures from dtd-r1.0.1.tar.gz or its folder, official split files of one fold";
  }

  @Override
  protected List<PrepOption> encodedOptions() {
    return List.of(
        PrepOption.required("--input", "PATH", "dtd-r1.0.1.tar.gz or the dtd folder"),
        PrepOption.optional("--fold", "N", "1", "which of the ten official splits (1..10)"),
        PrepOption.flag("--trainval", "also write trainval (train then val of the fold)"));
  }

  @Override
  protected EncodedImageSource source(PrepOptions o, Configuration conf) throws IOException {
    return new DtdSource(o.string("--input"), o.intAtLeast("--fold", 1), o.flag("--trainval"), conf);
  }
}
