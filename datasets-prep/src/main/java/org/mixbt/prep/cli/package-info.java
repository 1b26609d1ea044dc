/**
 * The command line of {@link org.mixbt.prep.PrepJob}: a registry of subcommands ({@link
 * org.mixbt.prep.cli.PrepCommands}), each declaring its options ({@link org.mixbt.prep.cli.PrepOption}) and
 * building its work from the parsed ones; source commands share the output options through
 * {@link org.mixbt.prep.cli.SourceCommand}.
 */
package org.mixbt.prep.cli;
