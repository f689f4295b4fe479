package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.TrainState;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** Clusters that default to Kryo: ffspark's records round-trip only with the registrator (the bare Kryo fails). */
class FfKryoRegistratorTest {
    private static SerializerInstance kryo(boolean withRegistrator) {
        SparkConf conf = new SparkConf(false).set("spark.kryo.registrationRequired", "false");
        if (withRegistrator) {
            conf.set("spark.kryo.registrator", FfKryoRegistrator.class.getName());
        }
        return new KryoSerializer(conf).newInstance();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(SerializerInstance s, T value) {
        ByteBuffer b = s.serialize(value, ClassTag$.MODULE$.AnyRef());
        return (T) s.deserialize(b, ClassTag$.MODULE$.AnyRef());
    }

    private static byte[] pixels(int n) {
        byte[] p = new byte[n * LabeledImages.PIXELS];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 31);
        }
        return p;
    }

    @Test
    void recordsRoundTripThroughKryoWithTheRegistrator() {
        LabeledImages images = new LabeledImages("slice", pixels(2), new byte[]{7, 3});
        LabeledImages back = roundTrip(kryo(true), images);
        assertEquals("slice", back.name());
        assertArrayEquals(images.pixels(), back.pixels());
        assertArrayEquals(images.labels(), back.labels());

        TrainState state = new TrainState(new float[]{1.5f, -2f}, new float[]{0.1f, 0.2f}, new float[]{3f, 4f}, new long[]{9});
        TrainState s2 = roundTrip(kryo(true), state);
        assertArrayEquals(state.params(), s2.params());
        assertArrayEquals(state.secondMoment(), s2.secondMoment());
        assertArrayEquals(state.steps(), s2.steps());
    }

    @Test
    void roundResultsWithTheirBulkWrittenArraysRoundTripThroughKryo() {
        String bad = "first moment 3 is NaN";
        RoundResult r = new RoundResult(2).add(1, new float[]{1f, 2f}, bad, new long[]{3}, 4,
                new org.ffspark.ff.LayerStats(1), 0.25, 0.5);
        RoundResult back = roundTrip(kryo(true), r);
        assertEquals(bad, back.ownNonFinite[1]);
        assertEquals(null, back.ownNonFinite[0]);
        assertEquals(4, back.batches[1]);
        assertEquals(0.25, back.fetchSeconds[1]);
        assertEquals(0.5, back.computeSeconds[1]);
        back.mergeInPlace(new RoundResult(2).add(0, new float[]{10f, 20f}, null, new long[]{3}, 4,
                new org.ffspark.ff.LayerStats(1), 0.25, 0.5));
        assertArrayEquals(new float[]{11f, 22f}, back.sum.total());
    }

    @Test
    void bareKryoCannotSerialiseRecordsWhichIsWhyTheRegistratorExists() {
        LabeledImages images = new LabeledImages("slice", pixels(1), new byte[]{0});
        assertThrows(Exception.class, () -> roundTrip(kryo(false), images));
    }
}
