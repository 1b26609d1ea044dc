package org.mixbt.prep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;
import org.mixbt.prep.cli.ShardJob;
import org.mixbt.prep.cli.SourceCommand;

/**
 * {@code PrepJob stl10}: STL-10 from {@code stl10_binary.tar.gz} or its folder ({@link Stl10Source}); splits
 * train, test, unlabeled and the pretraining union train+unlabeled.
 */
public final class Stl10Command extends SourceCommand {
  @Override
  public String name() {
    return "stl10";
  }

  @Override
  public String summary() {
    return "STL-10 from stl10_binary.tar.gz or its folder: train, test, unlabeled, train+unlabeled";
  }

  @Override
  protected List<PrepOption> sourceOptions() {
    return List.of(PrepOption.required("--input", "PATH",
        "stl10_binary.tar.gz or the stl10_binary folder (the unlabeled split needs ~10 GB of driver heap)"));
  }

  @Override
  protected ShardJob job(PrepOptions o) {
    try {
      return ShardJob.of(new Stl10Source(o.path("--input"), System.out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
