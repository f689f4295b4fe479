package org.ffspark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ffspark.ClusterTest;
import org.ffspark.ParquetSchema;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.Split;
import org.ffspark.job.SaliencyJob;
import org.ffspark.job.TrainJob;
import org.ffspark.saliency.SaliencyMethod;
import org.junit.jupiter.api.io.TempDir;

/**
 * Train and saliency with hdfs:// paths only (IDX input, model, run directory with checkpoints, saliency Parquet)
 * on a MiniDFSCluster (a NameNode and a DataNode in this JVM, real HDFS RPC); the model read back from HDFS equals
 * the same training written to the local file system.
 */
class HdfsJobsTest {
    @ClusterTest
    void trainAndSaliencyReadAndWriteHdfs(@TempDir Path tmp) throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).nameNodePort(0).build();
        try {
            dfs.waitActive();
            FileSystem fs = dfs.getFileSystem();
            String root = "hdfs://127.0.0.1:" + dfs.getNameNodePort() + "/ffspark";
            Path local = TestData.writeMnistSlice(tmp.resolve("idx"), 400, 30);
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(root + "/mnist"));

            SparkSession spark = SparkTests.session();
            Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
            TrainFfConfig cfg = TrainFfConfig.load(null, List.of("ff.layers=784,32,24", "train.epochs=2", "train.batch-size=50"));
            TestData.Dist so = TestData.dist(2, 2, -1);
            TrainJob.run(spark, storage, cfg.withDist(so.config()), new TrainJob.Options(root + "/mnist", root + "/model", null, 2, false, false, null, false, false), (r, s) -> { }, w -> { });
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(root + "/model/manifest.json")));
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(root + "/model.run/metrics.jsonl")));
            assertTrue(fs.listStatus(new org.apache.hadoop.fs.Path(root + "/model.run/checkpoints")).length > 0, "checkpoints on HDFS");
            String onLocal = tmp.resolve("model-local").toString();
            TrainJob.run(spark, Storage.local(), cfg.withDist(so.config()), new TrainJob.Options(local.toString(), onLocal, null, 2, false, false, null, false, false), (r, s) -> { }, w -> { });
            assertArrayEquals(ModelStore.read(Storage.local(), onLocal).model().params(),
                    ModelStore.read(storage, root + "/model").model().params(), "HDFS and local runs are the same computation");

            long rows = SaliencyJob.run(spark, storage, new SaliencyJob.Options(root + "/model", root + "/mnist", Split.TEST,
                    root + "/saliency", List.of(SaliencyMethod.FF_OCCLUSION, SaliencyMethod.RANDOM), org.ffspark.saliency.SaliencyTarget.PREDICTED, 42, 0, false));
            assertEquals(60, rows);
            Dataset<Row> maps = spark.read().parquet(root + "/saliency");
            assertEquals(ParquetSchema.expected("saliency.avsc"), ParquetSchema.actual(maps));
            assertEquals(60, maps.count());
            assertEquals(30, maps.select("id").distinct().count());
            try (Stream<Path> s = Files.list(tmp)) {
                assertEquals(List.of("dfs", "idx", "model-local", "model-local.run"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                        "nothing of the HDFS run leaked to the local file system");
            }
        } finally {
            dfs.shutdown();
            new File(tmp.toFile(), "dfs").deleteOnExit();
        }
    }
}
