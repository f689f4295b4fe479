/**
 * The {@code ffspark} command line: picocli commands, exit codes and the opening of Spark sessions.
 * The only package that prints to the console; commands parse, validate and delegate to {@code job} or the core.
 */
package org.ffspark.cli;
