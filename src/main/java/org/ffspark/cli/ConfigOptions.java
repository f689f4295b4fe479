package org.ffspark.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ffspark.config.TrainFfConfig;
import picocli.CommandLine.Option;

/** Shared flags: a properties file and key=value overrides (precedence: defaults, file, --set). */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file, e.g. conf/train-ff.properties.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key (repeatable), e.g. --set train.epochs=5.")
    List<String> overrides = new ArrayList<>();

    public TrainFfConfig load() {
        return TrainFfConfig.load(config, overrides);
    }

    /** Loads with {@code more} overrides applied after --set (command-line shorthands for keys). */
    TrainFfConfig load(List<String> more) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(more);
        return TrainFfConfig.load(config, all);
    }
}
