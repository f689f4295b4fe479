package org.ffspark.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.config.ConfigException;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.TrainState;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.ImagesMeta;
import org.ffspark.io.Json;
import org.ffspark.io.MetricsFile;
import org.ffspark.io.RunRecord;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.train.Shards;
import org.ffspark.train.SparkFfTrainer;

/**
 * The distributed training job: shard the training data (IDX directory or ingest Parquet) into partitions, run
 * averaging rounds ({@link SparkFfTrainer}), write per-round metrics ({@code metrics.jsonl}, schema
 * {@code data-schemas/train-rounds.schema.json}) and checkpoints to the run directory, and finally the model
 * directory with {@code run.json} (schema {@code data-schemas/run.schema.json}) beside its manifest.
 */
public final class TrainJob {
    /** Job options; {@code partitions} 0 means the cluster's default parallelism. */
    public record Options(String data, String model, String runDir, int partitions, boolean resume, boolean overwrite,
                          String initModel, boolean testEachEpoch, boolean allowConfigChange) {}

    private TrainJob() {}

    public static FfModel run(SparkSession spark, Storage storage, TrainFfConfig cfg, Options opt,
                              SparkFfTrainer.RoundListener progress, Consumer<String> warn) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String runId = RunIds.next();
        String runDir = opt.runDir() != null ? opt.runDir() : opt.model() + ".run";
        Path modelPath = storage.path(opt.model());
        if (storage.exists(modelPath) && !opt.overwrite()) {
            throw new ConfigException(modelPath + ": output already exists; pass --overwrite to replace it");
        }
        Path runPath = storage.path(runDir);
        if (!opt.resume() && storage.exists(runPath)) {
            if (!opt.overwrite()) {
                throw new ConfigException(runPath + ": run directory exists; pass --resume to continue that run or --overwrite to start over");
            }
            storage.delete(runPath);
        }
        int n = opt.partitions() > 0 ? opt.partitions() : jsc.defaultParallelism();
        long seed = cfg.train().seed();
        Map<String, String> checksums = new LinkedHashMap<>();
        JavaRDD<LabeledImages> shards = shards(spark, jsc, storage, opt.data(), n, seed, checksums);
        try {
            FfModel init = opt.initModel() == null ? FfModel.initialise(cfg.ff(), seed) : ModelStore.readWarmStart(storage, opt.initModel(), cfg.ff());
            LabeledImages test = opt.testEachEpoch() ? TestSets.load(spark, storage, opt.data(), Split.TEST) : null;
            TrainRun.Result r = TrainRun.run(spark, storage, cfg, shards, checksums, init,
                    new TrainRun.Where(runDir, opt.resume(), opt.allowConfigChange()), test, runId, progress, warn);
            TrainState state = r.state();
            MetricsFile metrics = r.metrics();
            ModelStore.Provenance prov = r.provenance();
            FfModel model = new FfModel(cfg.ff(), state.params());
            RunRecord run = RunRecord.of(spark.sparkContext().master(), spark.version(), cfg, checksums, runId, n,
                    opt.data(), opt.initModel(), opt.resume(), r.rounds(), r.periodBatches());
            try (AtomicOutput out = AtomicOutput.begin(storage, modelPath, runId, opt.overwrite())) {
                ModelStore.writeInto(storage, model, prov, out.dir());
                storage.writeAll(new Path(out.dir(), "run.json"), Json.bytes(run));
                storage.writeAll(new Path(out.dir(), "metrics.jsonl"), metrics.bytes());
                out.commit();
            }
            storage.writeAtomically(new Path(runPath, "run.json"), Json.bytes(run), runId);
            return model;
        } finally {
            shards.unpersist(false);
        }
    }

    static JavaRDD<LabeledImages> shards(SparkSession spark, JavaSparkContext jsc, Storage storage, String data, int n,
                                         long seed, Map<String, String> checksums) {
        if (ImagesMeta.isIngested(storage, data)) {
            ImagesMeta.read(storage, data).checksums().forEach((k, v) -> {
                if (k.startsWith("train")) {
                    checksums.put(k, v);
                }
            });
            return Shards.fromParquet(spark, data, n, seed);
        }
        IdxDataset.Loaded train = IdxDataset.read(storage, data, Split.TRAIN);
        checksums.putAll(train.checksums());
        return Shards.fromImages(jsc, train.images(), n, seed);
    }


}
