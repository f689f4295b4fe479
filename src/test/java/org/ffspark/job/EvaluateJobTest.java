package org.ffspark.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.ffspark.SchemaCheck;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.data.Split;
import org.ffspark.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateJobTest {
    @Test
    void distributedEvaluationEqualsLocalOnIdxAndParquet(@TempDir Path tmp) {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 1500, 3000);
        String model = TestData.writeSmallModel(tmp, "784,64", 1, 1500);
        LocalEvaluateJob.Result local = LocalEvaluateJob.run(Storage.local(), model, data.toString(), Split.TEST, tmp.resolve("local.json").toString());
        LocalEvaluateJob.Result idx = EvaluateJob.run(SparkTests.session(), Storage.local(), model, data.toString(), Split.TEST, tmp.resolve("idx.json").toString());
        String parquet = tmp.resolve("parquet").toString();
        IngestJob.run(SparkTests.session(), Storage.local(), data.toString(), parquet, false);
        LocalEvaluateJob.Result pq = EvaluateJob.run(SparkTests.session(), Storage.local(), model, parquet, Split.TEST, null);
        assertEquals(3000, idx.evaluation().total());
        for (int c = 0; c < 10; c++) {
            assertArrayEquals(local.evaluation().confusion()[c], idx.evaluation().confusion()[c]);
            assertArrayEquals(local.evaluation().confusion()[c], pq.evaluation().confusion()[c]);
        }
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("evaluation.schema.json"), SchemaCheck.json(Path.of(pq.file()))));
    }
}
