package org.ffspark.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.ffspark.data.Split;
import org.ffspark.ff.FfBenchmark;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.Gemm;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.job.SaliencyJob;
import org.ffspark.saliency.SaliencyMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.ffspark.saliency.SaliencyTarget;

/** {@code ffspark bench-saliency}: saliency job throughput on local[2] and its GEMM rate against a matching SGEMM. */
@Command(name = "bench-saliency", mixinStandardHelpOptions = true,
        description = {"Benchmark the saliency job on local[2] over a split: the paper's method alone, then all FF methods.",
                "Prints maps/s, wall time, GEMM GFLOP/s achieved (counted in this JVM) and its ratio to direct OpenBLAS SGEMM",
                "on the model's forward shapes (2 threads), measured in the same run. Writes JSON to --out."})
final class BenchSaliencyCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", required = true, description = "Model directory (e.g. a 784-500-500 model).")
    String model;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/mnist", description = "IDX data directory (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--limit", defaultValue = "0", description = "Only the first N test examples (0 = all).")
    int limit;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench/results/bench-saliency.json", description = "Result file (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path tmp = Files.createTempDirectory("ffspark-bench-saliency");
        FfModel m = ModelStore.read(Storage.local(), model).model();
        List<BenchRecords.SaliencyRun> runs = new java.util.ArrayList<>();
        List<List<SaliencyMethod>> sets = List.of(List.of(SaliencyMethod.FF_OCCLUSION),
                List.of(SaliencyMethod.FF_OCCLUSION, SaliencyMethod.FF_CONTRASTIVE, SaliencyMethod.FF_GRADIENT, SaliencyMethod.FF_GRADIENT_X_INPUT));
        try (SparkSession spark = Sessions.open("bench-saliency", "local[2]")) {
            int i = 0;
            for (List<SaliencyMethod> methods : sets) {
                String o = tmp.resolve("run" + i++).toString();
                long f0 = Gemm.flopsIssued();
                long t0 = System.nanoTime();
                long maps = SaliencyJob.run(spark, new Storage(spark.sparkContext().hadoopConfiguration()),
                        new SaliencyJob.Options(model, data, Split.TEST, o, methods, SaliencyTarget.PREDICTED, 42, limit, true));
                double secs = (System.nanoTime() - t0) / 1e9;
                double gflops = (Gemm.flopsIssued() - f0) / secs / 1e9;
                double reference = 2 * FfBenchmark.referenceForwardGflops(m.layout(), 580);
                System.out.printf("bench-saliency %s: %d maps in %.1f s = %.0f maps/s; GEMM %.1f GFLOP/s achieved over the job, "
                        + "ratio %.2f to 2 cores x single-thread SGEMM of the forward shapes (%.1f GFLOP/s)%n",
                        methods, maps, secs, maps / secs, gflops, gflops / reference, reference);
                runs.add(new BenchRecords.SaliencyRun(methods.toString(), maps, secs, maps / secs, gflops, reference,
                        gflops / reference));
            }
        }
        BenchRecords.write(out, new BenchRecords.Saliency(BuildInfo.gitCommit(), BuildInfo.openblasCoretype(), model, runs));
        System.out.println("bench-saliency: results written to " + out);
        return Main.OK;
    }
}
