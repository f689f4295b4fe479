package org.ffspark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.config.ConfigException;
import org.ffspark.config.ConfigKeys;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.job.LocalEvaluateJob;
import org.ffspark.job.SaliencyJob;
import org.ffspark.job.TrainJob;
import org.ffspark.saliency.SaliencyMethod;
import org.ffspark.saliency.SaliencyTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark ML library against the CLI's jobs: same training, same predictions, same maps, same refusals. */
class FfLibraryTest {
    static final List<String> SETTINGS = List.of("ff.layers=784,32,16", "train.epochs=2", "train.batch-size=50",
            "dist.averaging-period=5");

    /** Images as a DataFrame (id, label, features): a Vector of pixel/255, as a Spark user would hold them. */
    static Dataset<Row> frame(SparkSession spark, LabeledImages set) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < set.count(); i++) {
            double[] v = new double[LabeledImages.PIXELS];
            for (int k = 0; k < v.length; k++) {
                v[k] = (set.pixels()[i * LabeledImages.PIXELS + k] & 0xff) / 255.0;
            }
            rows.add(RowFactory.create((long) i, (double) set.label(i), Vectors.dense(v)));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false).add("label", DataTypes.DoubleType, false)
                .add("features", SQLDataTypes.VectorType(), false);
        return spark.createDataFrame(rows, schema);
    }

    static FfClassifier classifier() {
        FfClassifier c = new FfClassifier().setNumPartitions(2);
        for (String s : SETTINGS) {
            String[] kv = s.split("=", 2);
            c.setParam(FfParams.sparkName(kv[0]), kv[1]);
        }
        return c;
    }

    static double accuracy(Dataset<Row> predicted) {
        return predicted.filter("prediction = label").count() / (double) predicted.count();
    }

    @Test
    void fitIsTrainBitForBitAndSavedModelsCrossBetweenLibraryAndCli(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkTests.session();
        Path idx = TestData.writeMnistSlice(tmp.resolve("idx"), 2000, 500);
        LabeledImages train = TestData.mnistTrain().head(2000);
        FfClassificationModel fitted = classifier().fit(frame(spark, train));
        TrainFfConfig cfg = TrainFfConfig.load(null, SETTINGS);
        assertEquals(cfg.toMap(), classifier().config().toMap(), "the params are the keys");
        String cli = tmp.resolve("cli").toString();
        TrainJob.run(spark, Storage.local(), cfg, new TrainJob.Options(idx.toString(), cli, null, 2, false, false, null, false, false),
                (r, s) -> { }, w -> { });
        assertArrayEquals(ModelStore.read(Storage.local(), cli).model().params(), fitted.ffModel().params(),
                "fit == train with the same settings and partitioning, bit for bit");

        // Saved by the library, evaluated by the CLI's evaluate; transform predicts what evaluate counts.
        String saved = tmp.resolve("saved").toString();
        fitted.write().save(saved);
        Dataset<Row> test = frame(spark, org.ffspark.io.IdxDataset.read(Storage.local(), idx.toString(), Split.TEST).images());
        LocalEvaluateJob.Result evaluated = LocalEvaluateJob.run(Storage.local(), saved, idx.toString(), Split.TEST, tmp.resolve("e.json").toString());
        FfClassificationModel loaded = FfClassificationModel.load(saved);
        assertEquals(fitted.uid(), loaded.uid());
        for (org.apache.spark.ml.param.Param<?> p : fitted.params()) {
            assertTrue(java.util.Objects.deepEquals(fitted.getOrDefault(p), loaded.getOrDefault(loaded.getParam(p.name()))), p.name());
        }
        assertEquals(evaluated.evaluation().accuracy(), accuracy(loaded.transform(test)), 1e-12);
        // Trained by `ffspark train`, loaded by the library: its params come from the manifest.
        FfClassificationModel fromCli = FfClassificationModel.load(cli);
        assertEquals(32, ((int[]) fromCli.getOrDefault(fromCli.getParam("layers")))[1]);
        Dataset<Row> scored = fromCli.transform(test);
        assertEquals(evaluated.evaluation().accuracy(), accuracy(scored), 1e-12);
        // The ingest Parquet's binary pixels give the same predictions as the Vector of pixel/255.
        LabeledImages testImages = org.ffspark.io.IdxDataset.read(Storage.local(), idx.toString(), Split.TEST).images();
        List<Row> binary = new ArrayList<>();
        for (int i = 0; i < testImages.count(); i++) {
            binary.add(RowFactory.create((long) i, (double) testImages.label(i),
                    java.util.Arrays.copyOfRange(testImages.pixels(), i * LabeledImages.PIXELS, (i + 1) * LabeledImages.PIXELS)));
        }
        Dataset<Row> binaryTest = spark.createDataFrame(binary, new StructType().add("id", DataTypes.LongType)
                .add("label", DataTypes.DoubleType).add("features", DataTypes.BinaryType));
        assertEquals(scored.orderBy("id").select("prediction").collectAsList(),
                fromCli.transform(binaryTest).orderBy("id").select("prediction").collectAsList());
        Row first = scored.first();
        Vector p = first.getAs("probability");
        assertEquals(1.0, java.util.Arrays.stream(p.toArray()).sum(), 1e-9);
        assertEquals((double) p.argmax(), first.<Double>getAs("prediction"), 0.0);
    }

    @Test
    void fitWithACheckpointDirResumesExactlyAndRefusesOtherSettings(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkTests.session();
        Dataset<Row> data = frame(spark, TestData.mnistTrain().head(400));
        String dir = tmp.resolve("run").toString();
        FfClassifier clf = classifier().setParam("averagingPeriod", 2).setParam("checkpointEvery", 1).setParam("checkpointKeep", 1000).setCheckpointDir(dir);
        FfClassificationModel whole = clf.fit(data);
        List<String> rounds;
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(Path.of(dir, "checkpoints"))) {
            rounds = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(rounds.size() >= 3, rounds.toString());
        // An interrupted fit: only the first round's checkpoint is left.
        for (String r : rounds.subList(1, rounds.size())) {
            org.apache.commons.io.FileUtils.deleteDirectory(Path.of(dir, "checkpoints", r).toFile());
        }
        FfClassificationModel resumed = clf.fit(data);
        assertArrayEquals(whole.ffModel().params(), resumed.ffModel().params(), "resumed from round 1 to the same parameters");
        assertEquals(rounds.size(), java.nio.file.Files.readAllLines(Path.of(dir, "metrics.jsonl")).size(), "one metrics line per round");
        ConfigException other = assertThrows(ConfigException.class, () -> clf.copy(ParamMap.empty()).setParam("learningRate", 0.01).fit(data));
        assertTrue(other.getMessage().contains("train.learning-rate 0.03 -> 0.01"), other.getMessage());
    }

    @Test
    void aPipelineWithCrossValidationPicksTheBestModelAndSavesAndLoads(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkTests.session();
        Dataset<Row> data = frame(spark, TestData.mnistTrain().head(1200)).withColumnRenamed("features", "pixels");
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"pixels"}).setOutputCol("features");
        // Plain averaging: with the default block momentum this 16-unit net on 800 examples (12 per partition and
        // step) collapses to one predicted class for every grid point, and the grid would have nothing to choose.
        FfClassifier clf = new FfClassifier().setParam("layers", List.of(784, 16)).setParam("batchSize", 25)
                .setParam("averagingPeriod", 4).setParam("blockMomentum", 0).setParam("blockLr", 1).setNumPartitions(2);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, clf});
        ParamMap[] grid = new ParamGridBuilder().addGrid((FloatParam) clf.getParam("learningRate"), new float[] {0.001f, 0.01f})
                .addGrid((IntParam) clf.getParam("epochs"), new int[] {1, 3}).build();
        assertEquals(4, grid.length);
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        CrossValidatorModel cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid).setEvaluator(accuracy)
                .setNumFolds(3).setParallelism(2).setSeed(7).fit(data);
        double[] metrics = cv.avgMetrics();
        int best = 0;
        for (int i = 1; i < metrics.length; i++) {
            best = metrics[i] > metrics[best] ? i : best;
        }
        assertTrue(java.util.Arrays.stream(metrics).distinct().count() > 1 && java.util.Arrays.stream(metrics).allMatch(m -> m >= 0 && m <= 1),
                java.util.Arrays.toString(metrics));
        PipelineModel bestModel = (PipelineModel) cv.bestModel();
        FfClassificationModel ff = (FfClassificationModel) bestModel.stages()[1];
        assertEquals(grid[best].apply(clf.getParam("learningRate")), ff.getOrDefault(ff.getParam("learningRate")));
        assertEquals(grid[best].apply(clf.getParam("epochs")), ff.getOrDefault(ff.getParam("epochs")));
        String path = tmp.resolve("pipeline").toString();
        bestModel.write().save(path);
        PipelineModel back = PipelineModel.load(path);
        assertEquals(bestModel.transform(data).select("prediction").collectAsList(), back.transform(data).select("prediction").collectAsList());
        assertEquals(accuracy.evaluate(bestModel.transform(data)), accuracy(bestModel.transform(data)), 1e-12);
    }

    @Test
    void everyParamRefusesABadValueWithTheClisMessage() {
        FfClassifier clf = new FfClassifier();
        int checked = 0;
        List<String> unchecked = new ArrayList<>();
        for (org.ffspark.config.Param<?> key : ConfigKeys.all()) {
            String bad = null;
            String cliMessage = null;
            for (String candidate : List.of("-1", "0", "1e30", "-1e30", "784,-3", "NOT_A_VALUE")) {
                Object typed;
                try {
                    typed = FfParams.fromText(clf.getParam(FfParams.sparkName(key.name())), candidate);
                } catch (IllegalArgumentException e) {
                    continue;  // not of this key's type
                }
                try {
                    key.parse(FfParams.toText(typed));
                } catch (ConfigException e) {
                    bad = candidate;
                    // What `--set key=value` says about the same value.
                    ConfigException cli = assertThrows(ConfigException.class,
                            () -> TrainFfConfig.load(null, List.of(key.name() + "=" + FfParams.toText(typed))));
                    cliMessage = cli.getMessage();
                    break;
                }
            }
            if (bad == null) {
                unchecked.add(key.name());
                continue;
            }
            String b = bad;
            ConfigException e = assertThrows(ConfigException.class, () -> clf.setParam(FfParams.sparkName(key.name()), b), key.name());
            assertEquals(cliMessage, "--set: " + e.getMessage(), key.name() + ": the CLI's message, which also names the flag");
            checked++;
        }
        // Booleans have no bad value (Spark's BooleanParam takes true or false only).
        long booleans = ConfigKeys.all().stream().filter(k -> k.defaultTyped() instanceof Boolean).count();
        assertTrue(checked >= ConfigKeys.all().size() - 2 - booleans, "checked " + checked + "; no bad value found for " + unchecked);
        ConfigException cols = assertThrows(ConfigException.class, () -> clf.setParam("numPartitions", -2));
        assertEquals("numPartitions = -2: must be >= 0", cols.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class, () -> clf.setParam("learningRat", 0.1));
        assertTrue(unknown.getMessage().startsWith("learningRat: no such param (params: "), unknown.getMessage());
    }

    @Test
    void saliencyMapsEqualTheBatchJobsForTheSameIds(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkTests.session();
        Path idx = TestData.writeMnistSlice(tmp.resolve("idx"), 300, 30);
        String model = tmp.resolve("m").toString();
        TrainJob.run(spark, Storage.local(), TrainFfConfig.load(null, SETTINGS),
                new TrainJob.Options(idx.toString(), model, null, 2, false, false, null, false, false), (r, s) -> { }, w -> { });
        String out = tmp.resolve("maps").toString();
        SaliencyJob.run(spark, Storage.local(), new SaliencyJob.Options(model, idx.toString(), Split.TEST, out,
                List.of(SaliencyMethod.FF_OCCLUSION), SaliencyTarget.PREDICTED, 42, 0, false));
        Map<Long, Row> batch = new java.util.HashMap<>();
        for (Row r : spark.read().parquet(out).collectAsList()) {
            batch.put(r.<Long>getAs("id"), r);
        }
        // Ids kept, rows shuffled: the maps follow the ids, not the row order.
        Dataset<Row> test = frame(spark, org.ffspark.io.IdxDataset.read(Storage.local(), idx.toString(), Split.TEST).images()).orderBy("label");
        List<Row> maps = new FfSaliency().setModel(FfClassificationModel.load(model)).setMethod("FF_OCCLUSION").setTarget("PREDICTED")
                .transform(test).collectAsList();
        assertEquals(30, maps.size());
        for (Row r : maps) {
            Row b = batch.get(r.<Long>getAs("id"));
            List<Float> expected = b.getList(b.fieldIndex("map"));
            double[] got = r.<Vector>getAs("saliency").toArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(expected.get(i), (float) got[i], 0f, "id " + r.getAs("id") + " pixel " + i);
            }
            assertEquals(b.<Integer>getAs("predicted_label"), r.<Integer>getAs("saliencyPredicted"));
            assertEquals(b.<Double>getAs("deletion_area"), r.<Double>getAs("saliencyDeletionArea"), 0.0);
        }
    }
}
