package org.mixbt.prep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.util.List;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.mixbt.core.data.DatasetFormatException;
import org.mixbt.core.shard.ShardFormatException;

/** Help texts made from the declarations, the registry, and exit statuses with their one-line messages. */
class PrepCommandsTest {
  static final PrepCommand TOY = new PrepCommand() {
    @Override
    public String name() {
      return "toy";
    }

    @Override
    public String summary() {
      return "a toy source";
    }

    @Override
    public List<PrepOption> options() {
      return List.of(PrepOption.required("--input", "DIR", "where it is"),
          PrepOption.optional("--size", "N", "32", "image side"), PrepOption.flag("--fast", "go fast"));
    }

    @Override
    public PrepTask prepare(PrepOptions options) {
      return context -> context.out().println("ran");
    }
  };

  @Test
  void helpListsCommandsAndOptions() {
    PrepCommands commands = new PrepCommands(List.of(TOY));
    assertEquals(String.join("\n",
        "Usage: PrepJob <command> [options]    (PrepJob <command> --help lists a command's options)",
        "Commands:",
        "  toy  a toy source",
        "Exit status: 0 done, 2 usage or configuration error, 3 bad input data, 1 other failure."), commands.help());
    assertEquals(String.join("\n",
        "Usage: PrepJob toy --input DIR [--size N] [--fast]",
        "  a toy source",
        "  --input DIR  where it is (required)",
        "  --size N     image side (default 32)",
        "  --fast       go fast",
        "  --help       print this message"), PrepCommands.help(TOY));
  }

  @Test
  void registryRefusesUnknownAndDuplicateNames() {
    PrepCommands commands = new PrepCommands(List.of(TOY));
    assertEquals(TOY, commands.get("toy"));
    assertEquals("unknown command: cifar (known: toy)",
        assertThrows(UsageException.class, () -> commands.get("cifar")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PrepCommands(List.of(TOY, TOY)));
  }

  @Test
  void exitStatusAndMessage() {
    DatasetFormatException bad = DatasetFormatException.of("a.bin", "wrong magic number", "0x1234");
    // Spark reports an executor's failure as a SparkException carrying the stack trace in its message.
    SparkException wrapped = new SparkException("Job aborted due to stage failure: Task 0 failed: "
        + bad + "\n\tat org.mixbt.Foo.bar(Foo.java:1)", bad);
    assertEquals(ExitStatus.BAD_DATA, ExitStatus.ofRun(wrapped));
    assertEquals("Cannot read a.bin: wrong magic number: 0x1234", ExitStatus.message(wrapped));
    assertEquals(ExitStatus.BAD_DATA, ExitStatus.ofRun(new ShardFormatException("Cannot verify shard x: y: z")));
    assertEquals(ExitStatus.BAD_DATA, ExitStatus.ofRun(new java.io.IOException("read failed", new EOFException("eof"))));
    assertEquals(ExitStatus.USAGE, ExitStatus.ofRun(new UsageException("output exists")));
    assertEquals(ExitStatus.USAGE, ExitStatus.ofPreparation(new IllegalArgumentException("bad option")));
    assertEquals(ExitStatus.FAILED, ExitStatus.ofRun(new IllegalArgumentException("bug")));
    assertEquals(ExitStatus.FAILED, ExitStatus.ofRun(new OutOfMemoryError()));
    assertEquals("java.lang.OutOfMemoryError", ExitStatus.message(new OutOfMemoryError()));
    assertEquals("first line", ExitStatus.message(new RuntimeException("first line\nsecond line")));
  }
}
