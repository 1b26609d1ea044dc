package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line: every argument or configuration error exits 2 with the problem named, before Spark. */
class PretrainJobTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PretrainJob.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpPrintsUsage() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: PretrainJob"));
  }

  @Test
  void unknownArgumentIsAUsageError() {
    assertEquals(2, run("--epochs", "3"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Error: unknown argument: --epochs\nusage:"), err.toString());
  }

  @Test
  void missingValueIsAUsageError() {
    assertEquals(2, run("--config"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Error: missing value after --config"), err.toString());
  }

  @Test
  void missingConfigFileIsNamed() {
    assertEquals(2, run("--config", "/no/such/run.conf"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such file: /no/such/run.conf"), err.toString());
  }

  @Test
  void unknownKeyIsNamedBeforeSparkStarts() {
    assertEquals(2, run("--set", "mixbt.training.epoch = 3"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown key(s): mixbt.training.epoch"), err.toString());
  }
}
