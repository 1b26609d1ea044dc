package org.mixbt.prep;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.mixbt.prep.cli.EncodedSourceCommand;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;

/** {@code PrepJob gtsrb}: GTSRB traffic signs: the Final_Training / Final_Test zips (or extracted) with GT-final_test.csv. */
public final class GtsrbCommand extends EncodedSourceCommand {
  @Override
  public String name() {
    return "gtsrb";
  }

  @Override
  public String summary() {
    return "GTSRB traffic signs: the Final_Training / Final_Test zips (or extracted) with GT-final_test.csv";
  }

  @Override
  protected List<PrepOption> encodedOptions() {
    return List.of(
        PrepOption.required("--input", "DIR", "folder holding the three GTSRB_Final_* zips or what they extract to"));
  }

  @Override
  protected EncodedImageSource source(PrepOptions o, Configuration conf) throws IOException {
    return new GtsrbSource(o.string("--input"), conf);
  }
}
