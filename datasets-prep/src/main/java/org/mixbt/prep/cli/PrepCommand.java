package org.mixbt.prep.cli;

import java.util.List;

/**
 * One subcommand of {@code PrepJob}: its name, a one-line summary for the top-level help, the options it
 * accepts, and how it turns parsed options into work. Registered in {@link PrepCommands}.
 */
public interface PrepCommand {
  /** What the user types after {@code PrepJob}, e.g. "idx". */
  String name();

  /** One line for {@code PrepJob --help}. */
  String summary();

  /** Every option accepted, in help order. */
  List<PrepOption> options();

  /**
   * Checks the options and builds the work without starting Spark or writing anything, so a mistake costs
   * nothing: a wrong option is a {@link UsageException} (or IllegalArgumentException), missing or malformed
   * input data a data exception (see {@link ExitStatus}).
   */
  PrepTask prepare(PrepOptions options);
}
