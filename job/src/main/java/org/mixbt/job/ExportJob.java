package org.mixbt.job;

import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.mixbt.core.checkpoint.CheckpointException;

/**
 * Entry point of {@code deploy/mixbt export}: {@code --checkpoint PATH --output PATH [--overwrite]} writes the
 * encoder of a training checkpoint, alone, to an export folder ({@link EncoderExport}). Paths are local,
 * {@code file://} or {@code hdfs://}. Runs on the driver only, without a SparkContext (so spark-submit in client
 * mode; YARN's cluster mode fails an application that never starts one). Exit status: 0 done, 2 usage error
 * (unknown option, output exists without {@code --overwrite}), 3 bad checkpoint (missing, corrupt, not matching
 * its config.conf), 1 other failure.
 */
public final class ExportJob {
  static final String USAGE = "usage: ExportJob --checkpoint PATH --output PATH [--overwrite]\n"
      + "  --checkpoint  a run folder (<root>/<run-id>: the epoch its LATEST names, else the newest epoch-NNNN)\n"
      + "                or one epoch-NNNN folder (model.zip, config.conf, metrics.jsonl)\n"
      + "  --output      the export folder to create: encoder.zip, encoder.pth, encoder.safetensors, export.json\n"
      + "  --overwrite   replace an existing output folder";

  private ExportJob() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Parsed arguments; null checkpoint = only --help was asked for. */
  private record Args(String checkpoint, String output, boolean overwrite) {
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    Args parsed;
    try {
      parsed = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("Error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (parsed == null) {
      out.println(USAGE);
      return 0;
    }
    Configuration hadoop = new Configuration();
    try {
      // Refused before the checkpoint is read, as the prep commands do.
      EncoderExport.checkOutput(parsed.output(), parsed.overwrite(), hadoop);
    } catch (IllegalArgumentException e) {
      err.println("Error: " + e.getMessage());
      return 2;
    } catch (java.io.IOException e) {
      err.println("Error: Cannot export to " + parsed.output() + ": " + e.getMessage());
      return 1;
    }
    try {
      ExportSource source = ExportSource.open(parsed.checkpoint(), hadoop);
      Path written = EncoderExport.write(source, parsed.output(), parsed.overwrite(), hadoop, toolVersion());
      out.printf("exported %s (run %s, epoch %d, %s) to %s%n", source.epochFolder, source.settings.runId, source.epoch,
          ExportManifest.name(source.settings.network.depth()) + " width " + source.settings.network.baseWidth(),
          written);
      return 0;
    } catch (CheckpointException e) {
      // Names the file and the problem; a stack trace would only bury that.
      err.println("Error: " + e.getMessage());
      return 3;
    } catch (Exception e) {
      err.println("Error: Cannot export to " + parsed.output() + ": " + e);
      e.printStackTrace(err);
      return 1;
    }
  }

  private static Args parse(String[] args) {
    String checkpoint = null;
    String output = null;
    boolean overwrite = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--checkpoint" -> checkpoint = value(args, ++i);
        case "--output" -> output = value(args, ++i);
        case "--overwrite" -> overwrite = true;
        case "--help", "-h" -> {
          return null;
        }
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (checkpoint == null || output == null) {
      throw new IllegalArgumentException("missing " + (checkpoint == null ? "--checkpoint" : "--output"));
    }
    return new Args(checkpoint, output, overwrite);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException("missing value after " + args[i - 1]);
    }
    return args[i];
  }

  /** The jar's Implementation-Version, "dev" when run from classes. */
  static String toolVersion() {
    String version = ExportJob.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
