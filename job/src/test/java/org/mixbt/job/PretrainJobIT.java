package org.mixbt.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data errors found once Spark runs: exit status 3, the path named, no stack trace, nothing written. */
class PretrainJobIT {
  @TempDir
  Path work;

  @Test
  void missingShardRootIsADataErrorNamingThePath() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path shards = work.resolve("no-such-shards");
    int exit = PretrainJob.run(new String[] {"--set", "mixbt.data.shards = \"" + shards + "\"",
        "--set", "mixbt.checkpoint.root = \"" + work.resolve("checkpoints") + "\"", "--set", "mixbt.run-id = x"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(3, exit, message);
    assertTrue(message.startsWith("Error: ") && message.contains(shards.toString()), message);
    assertFalse(message.contains("\tat "), "no stack trace for a data error: " + message);
    assertFalse(Files.exists(work.resolve("checkpoints").resolve("x")), "nothing written for a run that never started");
  }
}
