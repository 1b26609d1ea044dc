package org.mixbt.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.mixbt.job.MiniHdfs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a run whose checkpoints are on a real HDFS (MiniDFSCluster on loopback, as PrepHdfsIT):
 * drawn locally, copied to a temporary folder there and renamed into the run folder.
 */
class ReportHdfsIT {
  static MiniHdfs cluster;
  static String hdfs;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    cluster = MiniHdfs.start(tmp.resolve("dfs"));
    hdfs = cluster.uri();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void reportOfAnHdfsRunIsWrittenIntoItsRunFolder() throws Exception {
    String metrics;
    try (InputStream in = ReportHdfsIT.class.getResourceAsStream("/report/metrics.jsonl")) {
      metrics = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    org.apache.hadoop.fs.Path run = new org.apache.hadoop.fs.Path(hdfs + "/checkpoints/fm-run");
    FileSystem fs = run.getFileSystem(new Configuration());
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(run, "epoch-0002/metrics.jsonl"))) {
      out.write(metrics.getBytes(StandardCharsets.UTF_8));
    }

    ByteArrayStreams io = new ByteArrayStreams();
    assertEquals(0, ReportJob.run(new String[] {"--run", run.toString()}, io.out, io.err), io.err());
    assertEquals("report: " + run + "/report/report.html (2 epochs; loss.png, loss-steps.png, knn.png, lr.png)\n",
        io.out());

    FileStatus[] inRun = fs.listStatus(run);
    assertEquals(List.of("epoch-0002", "report"), Arrays.stream(inRun).map(s -> s.getPath().getName()).sorted().toList());
    org.apache.hadoop.fs.Path report = new org.apache.hadoop.fs.Path(run, "report");
    Path local = Files.createDirectories(tmp.resolve("back"));
    for (String name : List.of("loss.png", "loss-steps.png", "knn.png", "lr.png")) {
      fs.copyToLocalFile(new org.apache.hadoop.fs.Path(report, name), new org.apache.hadoop.fs.Path(local.resolve(name).toUri()));
      ReportWriterTest.assertReadablePng(local.resolve(name));
    }
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(report, "report.html"))) {
      String html = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(html.contains("<img src=\"loss-steps.png\""), html);
      assertFalse(html.contains("<h2>Configuration</h2>"), "no config.conf in this run folder");
    }
  }

  /** stdout and stderr of a command run in this JVM. */
  static final class ByteArrayStreams {
    private final java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    private final java.io.ByteArrayOutputStream e = new java.io.ByteArrayOutputStream();
    final java.io.PrintStream out = new java.io.PrintStream(o, true, StandardCharsets.UTF_8);
    final java.io.PrintStream err = new java.io.PrintStream(e, true, StandardCharsets.UTF_8);

    String out() {
      return o.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return e.toString(StandardCharsets.UTF_8);
    }
  }
}
