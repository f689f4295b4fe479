package org.ffspark.train;

import java.util.List;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.ffspark.config.FfConfig;
import org.ffspark.config.TrainConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.TrainState;

/**
 * Makes ffspark's Java records safe under {@code spark.serializer=KryoSerializer}: Spark's Kryo 4 cannot build
 * field serializers for records ("can't get field offset on a record class"), so they go through Java
 * serialisation (they are few and hold large primitive arrays, which Java serialisation writes in bulk). So do
 * the round's task results ({@link TreeSum}, {@link RoundResult}): their float arrays are transient fields written
 * by their own {@code writeObject} ({@code FloatArrays}), which Kryo's field serializer would skip.
 * {@code Sessions} adds this registrator whenever Kryo is configured, so clusters with Kryo as their default work.
 */
public final class FfKryoRegistrator implements KryoRegistrator {
    /** Every record that Spark ships as RDD element, broadcast value or task result. */
    static final List<Class<?>> RECORDS = List.of(LabeledImages.class, TrainState.class, FfConfig.class,
            TrainConfig.class, SparkFfTrainer.RoundPosition.class, TreeSum.class, RoundResult.class);

    @Override
    public void registerClasses(Kryo kryo) {
        for (Class<?> c : RECORDS) {
            kryo.register(c, new JavaSerializer());
        }
    }
}
