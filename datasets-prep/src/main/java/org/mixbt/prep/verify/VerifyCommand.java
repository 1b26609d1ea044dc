package org.mixbt.prep.verify;

import java.util.List;
import org.mixbt.core.shard.ShardStore;
import org.mixbt.prep.cli.PrepCommand;
import org.mixbt.prep.cli.PrepOption;
import org.mixbt.prep.cli.PrepOptions;
import org.mixbt.prep.cli.PrepTask;

/**
 * {@code PrepJob verify --input ROOT}: {@link ShardVerifier} on a shard root, one line per split. Runs on
 * the driver alone (no Spark): sha256 is a sequential read of each shard anyway.
 */
public final class VerifyCommand implements PrepCommand {
  @Override
  public String name() {
    return "verify";
  }

  @Override
  public String summary() {
    return "re-read a shard root: sha256 of every shard, Parquet schema, row counts, ids, labels, sizes";
  }

  @Override
  public List<PrepOption> options() {
    return List.of(PrepOption.required("--input", "ROOT", "shard root to check (file://, hdfs://, or a local path)"));
  }

  @Override
  public PrepTask prepare(PrepOptions options) {
    String root = options.string("--input");
    return context -> {
      ShardStore store = ShardStore.open(root, context.hadoopConf());
      long records = 0;
      for (SplitReport r : new ShardVerifier(store).verify()) {
        context.out().println(r);
        records += r.records();
      }
      context.out().println("verified " + store.root() + ": " + store.manifest().splits().size() + " splits, "
          + records + " records, all consistent with " + org.mixbt.core.shard.ShardManifest.FILE_NAME);
    };
  }
}
