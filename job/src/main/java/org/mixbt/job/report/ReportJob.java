package org.mixbt.job.report;

import java.io.FileNotFoundException;
import java.io.PrintStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * {@code deploy/mixbt report --run <run folder>}: rebuilds a run's plots and report.html from its
 * metrics.jsonl (local or hdfs:// paths), e.g. for a run that was stopped or ran with the report off.
 * Exit status: 0 written, 2 usage error, 3 no or malformed metrics (one line naming file and line), 1 other.
 */
public final class ReportJob {
  static final String USAGE = "usage: ReportJob --run RUN_FOLDER   (writes RUN_FOLDER/report/report.html and its"
      + " plots from the newest checkpoint's metrics.jsonl)";

  private ReportJob() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    String runDir = null;
    for (int i = 0; i < args.length; i++) {
      if ((args[i].equals("--help") || args[i].equals("-h"))) {
        out.println(USAGE);
        return 0;
      } else if (args[i].equals("--run") && i + 1 < args.length) {
        runDir = args[++i];
      } else {
        err.println("Error: " + (args[i].equals("--run") ? "missing value after --run" : "unknown argument: " + args[i]));
        err.println(USAGE);
        return 2;
      }
    }
    if (runDir == null) {
      err.println("Error: --run is required");
      err.println(USAGE);
      return 2;
    }
    try {
      ReportWriter.Written w = ReportWriter.write(new Path(runDir), new Configuration());
      out.println("report: " + new Path(w.folder(), ReportWriter.HTML) + " (" + w.epochs() + " epochs; "
          + String.join(", ", w.charts()) + ")");
      return 0;
    } catch (FileNotFoundException | MetricsFormatException e) {
      err.println("Error: " + e.getMessage());
      return 3;
    } catch (Exception e) {
      err.println("Error: " + e);
      e.printStackTrace(err);
      return 1;
    }
  }
}
