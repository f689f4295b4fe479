package org.ffspark.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ffspark.config.ConfigException;
import org.ffspark.io.BuildInfo;
import org.ffspark.train.ScalingModel;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ffspark scale-model}: fits docs/scaling.md's round-time model to bench-scale results and predicts N = 1..64. */
@Command(name = "scale-model", mixinStandardHelpOptions = true,
        description = {"Fit the round-time model of docs/scaling.md (compute plus seconds per stage, per task and per byte)",
                "to a bench-scale result, check it against a bench-scale run with real work per round (--validation), and",
                "predict examples/s and time to 97%% MNIST for N = 1..64 partitions on a network of --network-gbit;",
                "writes JSON (--out) and a PNG plot (--plot)."})
final class ScaleModelCommand implements Callable<Integer> {
    @Option(names = "--scale", paramLabel = "FILE", split = ",", defaultValue = "bench/results/scale.json",
            description = "bench-scale results with small rounds at several N, for the fit; comma-separated (default ${DEFAULT-VALUE}).")
    List<Path> scale;

    @Option(names = "--validation", paramLabel = "FILE", split = ",", defaultValue = "bench/results/scale-validation.json",
            description = "bench-scale result with real work per round (e.g. --executors 1,2,4 --period 10 --batch 100):"
                    + " its compute time per example at N=1 sets the model's compute, and every point is predicted; comma-separated (default ${DEFAULT-VALUE}).")
    List<Path> validation;

    @Option(names = "--cores", paramLabel = "N", defaultValue = "2",
            description = "Cores of the machine the validation ran on: N executors share them (default ${DEFAULT-VALUE}).")
    int cores;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "per-worker", converter = OptimizerStateConverter.class,
            description = "Optimizer-state mode of the predictions (default ${DEFAULT-VALUE}).")
    org.ffspark.config.OptimizerState mode;

    @Option(names = "--periods", split = ",", paramLabel = "BATCHES", defaultValue = "10,50,300",
            description = "Averaging periods to predict (default ${DEFAULT-VALUE}).")
    List<Integer> periods;

    @Option(names = "--epochs-to-97", split = ",", paramLabel = "PERIOD=EPOCHS", required = true,
            description = "Epochs to 97%% MNIST test accuracy at each averaging period (measured runs; see docs/scaling.md).")
    Map<Integer, Double> epochsTo97;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100", description = "Minibatch per partition of the predictions (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--max-partitions", paramLabel = "N", defaultValue = "64", description = "Largest N predicted (default ${DEFAULT-VALUE}).")
    int maxPartitions;

    @Option(names = "--network-gbit", paramLabel = "G", defaultValue = "10", description = "Network speed of the predictions, Gbit/s (default ${DEFAULT-VALUE}).")
    double networkGbit;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench/results/scale-model.json", description = "Result file (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--plot", paramLabel = "FILE", defaultValue = "docs/scaling.png", description = "PNG plot (default ${DEFAULT-VALUE}).")
    Path plot;

    /** One validation point: measured against predicted round seconds. */
    record Check(String layers, String optimizerState, int executors, double measuredSeconds, double predictedSeconds, double ratio) {}

    /** One prediction: a network, period and partition count. */
    record Prediction(String layers, int periodBatches, int partitions, double roundSeconds, double examplesPerSecond,
                      Double minutesTo97) {}

    record Result(String gitCommit, List<String> scaleFiles, List<String> validationFiles, double secondsPerStage, double secondsPerTask,
                  double secondsPerByte, double networkGbit, Map<String, Double> computeSecondsPerExample,
                  Map<Integer, Double> epochsTo97, List<Check> validation, List<Prediction> predictions) {}

    @Override
    public Integer call() throws IOException {
        ConfigException.require(cores >= 1, "--cores", cores, "must be >= 1");
        ConfigException.require(batch >= 1, "--batch", batch, "must be >= 1");
        ConfigException.require(maxPartitions >= 1, "--max-partitions", maxPartitions, "must be >= 1");
        ConfigException.require(networkGbit > 0, "--network-gbit", networkGbit, "must be > 0");
        List<JsonNode> fitResults = new ArrayList<>();
        for (Path f : scale) {
            read(f).get("results").forEach(fitResults::add);
        }

        List<ScalingModel.Observation> obs = new ArrayList<>();
        for (JsonNode res : fitResults) {
            for (JsonNode p : res.get("points")) {
                if (p.get("executors").asInt() > 0) {  // local[2] points count bytes, not cluster costs
                    obs.add(observation(res, p));
                }
            }
        }
        ScalingModel.Costs costs = ScalingModel.fit(obs);
        System.out.printf("scale-model: %.2f ms per stage, %.3f ms per task, %.3f ns per byte (from %d measured rounds' overhead)%n",
                costs.perStage() * 1e3, costs.perTask() * 1e3, costs.perByte() * 1e9, obs.size());
        Map<String, Double> perExample = new LinkedHashMap<>();
        List<Check> checks = new ArrayList<>();
        for (Path vf : validation) {
            JsonNode valDoc = read(vf);
            int valPeriod = valDoc.get("periodBatches").asInt();
            int valBatch = valDoc.get("batchPerPartition").asInt();
            for (JsonNode res : valDoc.get("results")) {
                if (res.get("points").isEmpty()) {
                    continue;
                }
                String layers = res.get("layers").asText();
                JsonNode one = null;
                for (JsonNode p : res.get("points")) {
                    if (p.get("executors").asInt() == 1) {
                        one = p;
                    }
                }
                if (one == null) {
                    throw new ConfigException("--validation " + vf + ": " + layers + " has no point with 1 executor");
                }
                double tex = one.get("computeSeconds").asDouble() / (valPeriod * (double) valBatch);
                perExample.putIfAbsent(layers, tex);
                for (JsonNode p : res.get("points")) {
                    int n = p.get("executors").asInt();
                    ScalingModel.Observation o = observation(res, p);
                    double predicted = tex * valPeriod * valBatch * Math.max(1.0, n / (double) cores) + costs.overhead(o.stages(), o.tasks(), o.bytes());
                    double measured = p.get("secondsPerRound").asDouble();
                    checks.add(new Check(layers, res.get("optimizerState").asText(), n, measured, predicted, predicted / measured));
                    System.out.printf("scale-model validation %s %s N=%d: measured %.3f s per round, predicted %.3f (%.2fx)%n",
                            layers, res.get("optimizerState").asText(), n, measured, predicted, predicted / measured);
                }
            }
        }
        ScalingModel.Costs net = costs.onNetwork(networkGbit * 1e9);
        List<Prediction> predictions = new ArrayList<>();
        java.util.Set<String> predicted = new java.util.HashSet<>();
        for (JsonNode res : fitResults) {
            if (res.get("points").isEmpty() || !res.get("optimizerState").asText().equals(mode.name())
                    || !perExample.containsKey(res.get("layers").asText()) || !predicted.add(res.get("layers").asText())) {
                continue;  // other modes, networks without a validation, and a network's second file
            }
            String layers = res.get("layers").asText();
            double vector = res.get("stateBytes").asDouble();
            double broadcast = res.get("points").get(0).get("broadcastBytes").asDouble();
            for (int period : periods) {
                for (int n = 1; n <= maxPartitions; n *= 2) {
                    ScalingModel.Plan plan = ScalingModel.plan(n, org.ffspark.train.SparkFfTrainer.AGGREGATION_DEPTH);
                    double t = perExample.get(layers) * period * batch
                            + net.overhead(plan.stages(), plan.tasks(), ScalingModel.criticalBytes(broadcast, vector, plan, persisted(res)));
                    double eps = n * period * (double) batch / t;
                    Double epochs = epochsTo97.get(period);
                    predictions.add(new Prediction(layers, period, n, t, eps, epochs == null ? null : epochs * 60000 / eps / 60));
                }
            }
        }
        BenchRecords.write(out, new Result(BuildInfo.gitCommit(), scale.stream().map(Path::toString).toList(), validation.stream().map(Path::toString).toList(), costs.perStage(),
                costs.perTask(), costs.perByte(), networkGbit, perExample, epochsTo97, checks, predictions));
        writePlot(predictions);
        System.out.println("scale-model: results written to " + out + ", plot to " + plot);
        return Main.OK;
    }

    /**
     * One measured round. Its N executors (and the driver) shared this machine's {@link #cores} cores, so every cost
     * of the round beyond compute took about {@code N / cores} times as long as on a cluster with a core per
     * executor: stages, tasks and bytes are counted with that factor (1 for a cluster's predictions).
     */
    private ScalingModel.Observation observation(JsonNode res, JsonNode p) {
        int n = p.get("partitions").asInt();
        ScalingModel.Plan plan = ScalingModel.plan(n, org.ffspark.train.SparkFfTrainer.AGGREGATION_DEPTH);
        double shared = Math.max(1.0, p.get("executors").asInt() / (double) cores);
        double bytes = ScalingModel.criticalBytes(p.get("broadcastBytes").asDouble(), res.get("stateBytes").asDouble(), plan,
                persisted(res));
        return new ScalingModel.Observation(p.get("secondsPerRound").asDouble() - p.get("computeSeconds").asDouble(),
                shared * p.get("stagesPerRound").asDouble(), shared * p.get("tasksPerRound").asDouble(), shared * bytes);
    }

    /** Per-worker rounds persist each task's output (its vector and Adam's two moments) on the executor's disk. */
    private static double persisted(JsonNode res) {
        return res.get("optimizerState").asText().equals("PER_WORKER") ? 3 * res.get("parameterBytes").asDouble() : 0;
    }

    private static JsonNode read(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            throw new ConfigException(f + ": no such file (run jobs/bench-scale first; see docs/scaling.md)");
        }
        return new ObjectMapper().readTree(f.toFile());
    }

    /** Two panels: examples/s and minutes to 97% against N, one line per network and period (log-log). */
    private void writePlot(List<Prediction> predictions) throws IOException {
        XYChart speed = chart("Predicted examples/s (" + formatGbit() + " Gbit/s, " + mode.name().toLowerCase(java.util.Locale.ROOT) + ")", "examples/s");
        speed.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        XYChart time = chart("Predicted minutes to 97% MNIST", "minutes");
        Map<String, List<Prediction>> lines = new LinkedHashMap<>();
        for (Prediction p : predictions) {
            lines.computeIfAbsent(p.layers() + ", every " + p.periodBatches(), k -> new ArrayList<>()).add(p);
        }
        lines.forEach((name, ps) -> {
            double[] x = ps.stream().mapToDouble(Prediction::partitions).toArray();
            speed.addSeries(name, x, ps.stream().mapToDouble(Prediction::examplesPerSecond).toArray()).setMarker(SeriesMarkers.CIRCLE);
            if (ps.get(0).minutesTo97() != null) {
                time.addSeries(name, x, ps.stream().mapToDouble(Prediction::minutesTo97).toArray()).setMarker(SeriesMarkers.CIRCLE);
            }
        });
        BufferedImage a = BitmapEncoder.getBufferedImage(speed);
        BufferedImage b = BitmapEncoder.getBufferedImage(time);
        BufferedImage both = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.dispose();
        if (plot.getParent() != null) {
            Files.createDirectories(plot.getParent());
        }
        Path tmp = plot.resolveSibling(plot.getFileName() + ".tmp");
        javax.imageio.ImageIO.write(both, "png", tmp.toFile());
        Files.move(tmp, plot, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private String formatGbit() {
        return networkGbit == Math.rint(networkGbit) ? Long.toString((long) networkGbit) : Double.toString(networkGbit);
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(640).height(440).title(title).xAxisTitle("partitions N").yAxisTitle(yTitle).build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        return c;
    }
}
