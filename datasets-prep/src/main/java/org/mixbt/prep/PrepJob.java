package org.mixbt.prep;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.mixbt.prep.cli.ExitStatus;
import org.mixbt.prep.cli.PrepCommand;
import org.mixbt.prep.cli.PrepCommands;
import org.mixbt.prep.cli.PrepContext;
import org.mixbt.prep.cli.PrepOptions;
import org.mixbt.prep.cli.PrepTask;
import org.mixbt.prep.verify.VerifyCommand;

/**
 * Entry point of dataset preparation: {@code PrepJob <command> [options]}, one command per source plus
 * {@code verify}; {@code PrepJob --help} lists them. Exit status 0 done, 2 usage or configuration error,
 * 3 bad input data, 1 other failure; a failure prints one line, without a stack trace.
 */
public final class PrepJob {
  /**
   * Every command, in help order. Adding a source is one {@link org.mixbt.prep.cli.SourceCommand} subclass
   * and one line here.
   */
  static final PrepCommands COMMANDS = new PrepCommands(List.of(
      new IdxCommand(),
      new CifarCommand(),
      new Stl10Command(),
      new TinyImageNetCommand(),
      new ImageFolderCommand(),
      new ImageNetTrainCommand(),
      new DtdCommand(),
      new Cub200Command(),
      new Flowers102Command(),
      new GtsrbCommand(),
      new FgvcAircraftCommand(),
      new VerifyCommand()));

  private PrepJob() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs on the active SparkSession, or a new one left running; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || isHelp(args[0])) {
      (args.length == 0 ? err : out).println(COMMANDS.help());
      return args.length == 0 ? ExitStatus.USAGE : ExitStatus.OK;
    }
    PrepCommand command = null;
    PrepTask task;
    try {
      command = COMMANDS.get(args[0]);
      List<String> rest = Arrays.asList(args).subList(1, args.length);
      if (rest.stream().anyMatch(PrepJob::isHelp)) {
        out.println(PrepCommands.help(command));
        return ExitStatus.OK;
      }
      task = command.prepare(PrepOptions.parse(command.options(), rest));
    } catch (RuntimeException e) {
      int status = ExitStatus.ofPreparation(e);
      String hint = status != ExitStatus.USAGE ? ""
          : " (see PrepJob " + (command == null ? "" : command.name() + " ") + "--help)";
      err.println("Error: " + ExitStatus.message(e) + hint);
      return status;
    }
    try {
      task.run(new PrepContext(out));
      return ExitStatus.OK;
    } catch (Exception | Error e) {
      err.println("Error: " + ExitStatus.message(e));
      return ExitStatus.ofRun(e);
    }
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }
}
