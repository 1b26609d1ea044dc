package org.mixbt.prep;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.mixbt.prep.cli.EncodedSourceCommand;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;

/** {@code PrepJob fgvc-aircraft}: FGVC-Aircraft from fgvc-aircraft-2013b.tar.gz or its folder: train, val, test. */
public final class FgvcAircraftCommand extends EncodedSourceCommand {
  @Override
  public String name() {
    return "fgvc-aircraft";
  }

  @Override
  public String summary() {
    return "FGVC-Aircraft from fgvc-aircraft-2013b.tar.gz or its folder: train, val, test";
  }

  @Override
  protected List<PrepOption> encodedOptions() {
    return List.of(
        PrepOption.required("--input", "PATH", "fgvc-aircraft-2013b.tar.gz or the fgvc-aircraft-2013b folder"),
        PrepOption.optional("--level", "LEVEL", "variant", "labels: variant (100 classes), family or manufacturer"),
        PrepOption.flag("--trainval", "also write the publisher's trainval split"));
  }

  @Override
  protected EncodedImageSource source(PrepOptions o, Configuration conf) throws IOException {
    return new FgvcAircraftSource(o.string("--input"), FgvcAircraftSource.Level.valueOf(o.oneOf("--level", List.of("variant", "family", "manufacturer")).toUpperCase(java.util.Locale.ROOT)), o.flag("--trainval"), conf);
  }
}
