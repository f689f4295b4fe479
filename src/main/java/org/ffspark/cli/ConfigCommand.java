package org.ffspark.cli;

import java.util.concurrent.Callable;

import org.ffspark.config.ConfigKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ffspark config}: every configuration key with its default, meaning and rules, from their one declaration. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Print every FF training configuration key with its default, meaning and rules.",
                "--format properties writes conf/train-ff.properties; --format markdown the table of docs/configuration.md."})
final class ConfigCommand implements Callable<Integer> {
    enum Format { PROPERTIES, MARKDOWN }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "PROPERTIES",
            description = "properties or markdown (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        System.out.print(format == Format.PROPERTIES ? ConfigKeys.propertiesFile() : ConfigKeys.markdownTable());
        return Main.OK;
    }
}
