package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TreeSumTest {
    @ParameterizedTest(name = "{0} leaves")
    @ValueSource(ints = {1, 2, 3, 5, 8, 13})
    void resultIsBitIdenticalWhateverTheMergeOrder(int leaves) {
        Random r = new Random(leaves);
        float[][] v = new float[leaves][64];
        for (float[] row : v) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
            }
        }
        float[] reference = null;
        for (int trial = 0; trial < 30; trial++) {
            List<TreeSum> parts = new ArrayList<>();
            for (int p = 0; p < leaves; p++) {
                parts.add(new TreeSum(leaves).addLeaf(p, v[p].clone()));
            }
            Collections.shuffle(parts, new Random(trial));
            while (parts.size() > 1) {  // merge random pairs, as Spark's tree levels and driver fold might
                int a = r.nextInt(parts.size());
                // Odd trials ship every partial sum through Java serialisation first, as task results travel.
                TreeSum x = trial % 2 == 1 ? roundTrip(parts.remove(a)) : parts.remove(a);
                int b = r.nextInt(parts.size());
                parts.get(b).mergeInPlace(x);
            }
            float[] total = parts.get(0).total();
            if (reference == null) {
                reference = total;
            } else {
                assertArrayEquals(reference, total, "trial " + trial);
            }
        }
        float[] naive = new float[64];
        for (int i = 0; i < 64; i++) {
            double s = 0;
            for (float[] row : v) {
                s += row[i];
            }
            naive[i] = (float) s;
        }
        assertArrayEquals(naive, reference, 1e-3f);
    }

    @ParameterizedTest(name = "{0} leaves")
    @ValueSource(ints = {2, 3})
    void incompleteSumIsAnError(int leaves) {
        TreeSum t = new TreeSum(leaves).addLeaf(0, new float[1]);
        assertThrows(IllegalStateException.class, t::total);
    }

    static TreeSum roundTrip(TreeSum t) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
                out.writeObject(t);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
                return (TreeSum) in.readObject();
            }
        } catch (java.io.IOException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
