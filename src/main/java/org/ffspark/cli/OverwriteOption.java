package org.ffspark.cli;

import picocli.CommandLine.Option;

/** The {@code --overwrite} flag of every command that writes an output: without it an existing output is refused. */
public final class OverwriteOption {
    @Option(names = "--overwrite", description = "Replace an existing output (written beside it, then swapped in; the old one stays if the run fails).")
    boolean overwrite;
}
