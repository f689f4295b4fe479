package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.ffspark.TestData;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfTrainer;
import org.ffspark.ff.TrainState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EnginePoolTest {
    static final TrainFfConfig CFG = TrainFfConfig.load(null, List.of("ff.layers=784,16,8", "train.batch-size=20"));

    @AfterEach
    void clear() {
        EnginePool.clear();
    }

    static TrainState state(long seed) {
        FfModel m = FfModel.initialise(CFG.ff(), seed);
        try (FfTrainer t = new FfTrainer(m, CFG.train(), 1, 1)) {
            return TrainState.initial(m, t.optimizer());
        }
    }

    EnginePool.Lease take(String run, int partition, LabeledImages shard, TrainState s) {
        return EnginePool.take(run, partition, shard, CFG.ff(), CFG.train(), s.params(), () -> s, 0, -1);
    }

    @Test
    void aPartitionGetsItsOwnEngineBackLoadedWithTheNewParameters() {
        LabeledImages shard = TestData.mnistTrain().head(100);
        TrainState first = state(1);
        EnginePool.Lease a = take("run", 0, shard, first);
        a.model().params()[0] += 1f; // training changes the live parameters
        a.release(0);
        TrainState next = state(2);
        EnginePool.Lease b = take("run", 0, shard, next);
        assertSame(a.engine(), b.engine(), "same run, partition and shard object: reused");
        org.junit.jupiter.api.Assertions.assertArrayEquals(next.params(), b.model().params(), "parameters come from the new state");
        b.release(0);
        EnginePool.Lease other = take("run", 1, shard, next);
        EnginePool.Lease otherRun = take("another run", 0, shard, next);
        EnginePool.Lease otherShard = take("run", 0, TestData.mnistTrain().head(100), next);
        assertNotSame(b.engine(), other.engine());
        assertNotSame(b.engine(), otherRun.engine());
        assertNotSame(b.engine(), otherShard.engine(), "a recomputed shard is a new object: a new engine");
        other.release(0);
        otherShard.release(0);
        assertEquals(3, EnginePool.idle(), "partitions 0 (twice: two shard objects) and 1 of the same run");
        otherRun.release(0);
        assertEquals(1, EnginePool.idle(), "releasing another run's engine closes the first run's idle ones");
    }

    @Test
    void aPooledEngineKeepsItsOwnOptimizerStateOnlyIfItCompletedThePreviousRound() {
        LabeledImages shard = TestData.mnistTrain().head(100);
        TrainState s = state(1);
        int[] fetched = {0};
        java.util.function.Supplier<TrainState> own = () -> {
            fetched[0]++;
            return s;
        };
        EnginePool.Lease a = EnginePool.take("run", 0, shard, CFG.ff(), CFG.train(), s.params(), own, 0, -1);
        assertEquals(1, fetched[0], "a new engine loads the state");
        a.engine().trainer().optimizer().firstMoment()[0] = 7f; // what training would have left there
        a.release(4);
        long kept = EnginePool.statesKept();
        EnginePool.Lease b = EnginePool.take("run", 0, shard, CFG.ff(), CFG.train(), s.params(), own, 0, 4);
        assertEquals(1, fetched[0], "the engine completed round 4, whose own state round 5 continues from: not fetched");
        assertEquals(kept + 1, EnginePool.statesKept());
        assertEquals(7f, b.engine().trainer().optimizer().firstMoment()[0]);
        b.release(5);
        EnginePool.Lease c = EnginePool.take("run", 0, shard, CFG.ff(), CFG.train(), s.params(), own, 0, 6);
        assertEquals(2, fetched[0], "the engine missed round 6 (run elsewhere): the state is loaded");
        assertEquals(s.firstMoment()[0], c.engine().trainer().optimizer().firstMoment()[0]);
        c.release(7);
        EnginePool.Lease d = EnginePool.take("run", 0, shard, CFG.ff(), CFG.train(), s.params(), own, 0, -1);
        assertEquals(3, fetched[0], "a shared (averaged) state is always loaded");
        d.discard();
    }

    @Test
    void atMostMaxIdleEnginesStayAndTakingRemovesOne() {
        LabeledImages shard = TestData.mnistTrain().head(100);
        TrainState s = state(1);
        for (int p = 0; p < EnginePool.MAX_IDLE + 2; p++) {
            take("run", p, shard, s).release(0);
        }
        assertEquals(EnginePool.MAX_IDLE, EnginePool.idle());
        EnginePool.Lease newest = take("run", EnginePool.MAX_IDLE + 1, shard, s);
        assertEquals(EnginePool.MAX_IDLE - 1, EnginePool.idle(), "a taken engine leaves the pool: no two attempts share it");
        newest.release(0);
        EnginePool.Lease oldest = take("run", 0, shard, s);
        assertEquals(EnginePool.MAX_IDLE, EnginePool.idle(), "partition 0's engine was evicted, so this one is new");
        oldest.discard();
    }
}
