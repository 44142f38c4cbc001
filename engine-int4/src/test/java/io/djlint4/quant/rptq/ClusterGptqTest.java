package io.djlint4.quant.rptq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.quant.weight.Gptq;
import io.djlint4.quant.weight.HessianAccumulator;
import io.djlint4.quant.weight.UniformQuantizer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** GPTQ onto RPTQ's fixed per-row, per-input-cluster weight grids (§7.4, oracle 15 adapted). */
class ClusterGptqTest {

    private static final int ROWS = 12;
    private static final int COLS = 40;
    private static final ChannelClusters CLUSTERS = new ChannelClusters(perm(), new int[] {7, 13, 20});
    private static final Gptq GPTQ = new Gptq(new UniformQuantizer(4, false), 0, false, false, 0.01);
    private static final ClusterWeightQuantizer W4 = new ClusterWeightQuantizer(4);

    private static int[] perm() {
        int[] p = new int[COLS];
        for (int j = 0; j < COLS; j++) {
            p[j] = (j * 7) % COLS;
        }
        return p;
    }

    private static float[] weights(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] w = new float[ROWS * COLS];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian() * (i % COLS < 7 ? 4 : 1);
        }
        return w;
    }

    @Test
    void identityHessianReproducesRoundToNearest() {
        double[] identity = new double[COLS * COLS];
        for (int j = 0; j < COLS; j++) {
            identity[j * COLS + j] = 1;
        }
        float[] w = weights(1);
        ClusteredWeights rtn = W4.quantize(w, ROWS, CLUSTERS);
        ClusteredWeights gptq = W4.quantize(w, ROWS, CLUSTERS, identity, GPTQ);
        assertArrayEquals(rtn.codes(), gptq.codes());
        assertArrayEquals(rtn.scales(), gptq.scales());
        assertArrayEquals(rtn.zeros(), gptq.zeros());
    }

    @Test
    void correlatedInputsGiveLowerOutputErrorThanRoundToNearest() {
        SplittableRandom rnd = new SplittableRandom(2);
        int n = 256;
        float[] x = new float[n * COLS];
        for (int t = 0; t < n; t++) {
            double shared = rnd.nextGaussian();
            for (int j = 0; j < COLS; j++) {
                x[t * COLS + j] = (float) (shared + 0.3 * rnd.nextGaussian());
            }
        }
        HessianAccumulator h = new HessianAccumulator(COLS);
        h.add(x, n);
        float[] w = weights(3);
        double rtn = outputError(x, n, w, W4.quantize(w, ROWS, CLUSTERS).dequantize());
        double gptq = outputError(x, n, w, W4.quantize(w, ROWS, CLUSTERS, h.hessian(), GPTQ).dequantize());
        assertTrue(gptq < 0.8 * rtn, "GPTQ " + gptq + ", RTN " + rtn);
    }

    private static double outputError(float[] x, int n, float[] w, float[] wq) {
        double e = 0;
        for (int t = 0; t < n; t++) {
            for (int r = 0; r < ROWS; r++) {
                double d = 0;
                for (int j = 0; j < COLS; j++) {
                    d += (double) x[t * COLS + j] * (wq[r * COLS + j] - w[r * COLS + j]);
                }
                e += d * d;
            }
        }
        return e;
    }
}
