package org.ffspark.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.spark.sql.Row;
import org.ffspark.Processes;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YARN end to end, as Spark tests its own YARN support: a MiniYARNCluster (ResourceManager and one NodeManager
 * launching real container JVMs) over a MiniDFSCluster, both in this JVM, and {@code jobs/train} and
 * {@code jobs/saliency} submitted with {@code --master yarn} in client and in cluster deploy mode (the driver in a
 * container), reading and writing HDFS. Both modes must produce the same model bit for bit. Runs in 'mvn verify'.
 */
class YarnClusterIT {
    @Test
    void trainAndSaliencyThroughSparkSubmitOnYarnInClientAndClusterMode(@TempDir Path tmp) throws Exception {
        Configuration conf = new YarnConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, tmp.resolve("dfs").toString());
        for (String k : List.of("dfs.namenode.rpc-address", "dfs.datanode.address", "dfs.datanode.http.address",
                "dfs.datanode.ipc.address", "dfs.namenode.http-address")) {
            conf.set(k, "127.0.0.1:0");
        }
        // The capacity scheduler needs a capacity-scheduler.xml that the minicluster jar does not ship.
        conf.set(YarnConfiguration.RM_SCHEDULER, "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 8192);
        conf.setInt(YarnConfiguration.NM_VCORES, 4);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "99.5");
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).nameNodePort(0).build();
        MiniYARNCluster yarn = new MiniYARNCluster("ffspark", 1, 1, 1);
        try {
            dfs.waitActive();
            String fsUri = "hdfs://127.0.0.1:" + dfs.getNameNodePort();
            conf.set("fs.defaultFS", fsUri);
            yarn.init(conf);
            yarn.start();
            Path hadoopConf = Files.createDirectories(tmp.resolve("hadoop-conf"));
            // What a client needs: the ResourceManager's addresses (yarn.*), not this JVM's test-only settings.
            Configuration written = new Configuration(false);
            for (java.util.Map.Entry<String, String> e : yarn.getConfig()) {
                if (e.getKey().startsWith("yarn.")) {
                    written.set(e.getKey(), e.getValue());
                }
            }
            try (OutputStream out = Files.newOutputStream(hadoopConf.resolve("yarn-site.xml"))) {
                written.writeXml(out);
            }
            Configuration core = new Configuration(false);
            core.set("fs.defaultFS", fsUri);
            try (OutputStream out = Files.newOutputStream(hadoopConf.resolve("core-site.xml"))) {
                core.writeXml(out);
            }
            FileSystem fs = dfs.getFileSystem();
            Path idx = TestData.writeMnistSlice(tmp.resolve("idx"), 1000, 40);
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(idx.toUri()), new org.apache.hadoop.fs.Path(fsUri + "/ffspark/mnist"));

            Processes.Result home = Processes.ok(tmp.resolve("logs/spark-home.log"), Map.of(), 600,
                    TestData.projectDir().resolve("deploy/spark-home").toString());
            String sparkHome = home.lastLine();
            String javaHome = System.getProperty("java.home");
            Map<String, String> env = new HashMap<>();
            env.put("SPARK_HOME", sparkHome);
            env.put("HADOOP_CONF_DIR", hadoopConf.toString());
            env.put("YARN_CONF_DIR", hadoopConf.toString());
            env.put("SPARK_MASTER", "yarn");
            env.put("FFSPARK_NUM_EXECUTORS", "2");
            env.put("FFSPARK_EXECUTOR_CORES", "1");
            env.put("FFSPARK_EXECUTOR_MEMORY", "1g");
            env.put("FFSPARK_EXECUTOR_MEMORY_OVERHEAD", "512m");
            env.put("FFSPARK_DRIVER_MEMORY", "1g");
            env.put("SPARK_SUBMIT_ARGS", "--conf spark.ui.enabled=false --conf spark.yarn.jars=local:" + sparkHome + "/jars/*"
                    + " --conf spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome + " --conf spark.executorEnv.JAVA_HOME=" + javaHome
                    + " --conf spark.yarn.am.memory=512m --conf spark.yarn.submit.waitAppCompletion=true");
            Storage storage = new Storage(conf);
            float[] first = null;
            for (String mode : List.of("client", "cluster")) {
                env.put("FFSPARK_DEPLOY_MODE", mode);
                String model = fsUri + "/ffspark/model-" + mode;
                String maps = fsUri + "/ffspark/saliency-" + mode;
                Path logs = tmp.resolve("logs-" + mode);
                Processes.ok(logs.resolve("train.log"), env, 900, "jobs/train", "--data", fsUri + "/ffspark/mnist", "--model", model,
                        "--set", "ff.layers=784,32,32", "--set", "train.epochs=2", "--set", "train.batch-size=50",
                        "--partitions", "2", "--averaging-period", "5");
                Processes.ok(logs.resolve("saliency.log"), env, 900, "jobs/saliency", "--model", model, "--data",
                        fsUri + "/ffspark/mnist", "--out", maps, "--limit", "20", "--methods", "FF_OCCLUSION,RANDOM");
                float[] params = ModelStore.read(storage, model).model().params();
                if (first == null) {
                    first = params;
                } else {
                    assertArrayEquals(first, params, "client and cluster deploy modes train the same model");
                }
                assertTrue(fs.exists(new org.apache.hadoop.fs.Path(model + ".run/run.json")), "run record of " + mode);
                List<Row> rows = SparkTests.session().read().parquet(maps).select("id", "method").collectAsList();
                assertEquals(40, rows.size(), "20 examples x 2 methods (" + mode + ")");
                assertEquals(20, rows.stream().map(r -> r.getLong(0)).distinct().count());
            }
            assertEquals(4, yarn.getResourceManager().getRMContext().getRMApps().size(), "four YARN applications");
        } finally {
            yarn.stop();
            dfs.shutdown();
        }
    }
}
