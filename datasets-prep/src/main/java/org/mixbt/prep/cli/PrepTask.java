package org.mixbt.prep.cli;

/** The work a {@link PrepCommand} prepared; runs once, reporting through the context. */
@FunctionalInterface
public interface PrepTask {
  void run(PrepContext context) throws Exception;
}
