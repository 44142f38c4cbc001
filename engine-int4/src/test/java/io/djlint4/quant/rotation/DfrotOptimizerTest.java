package io.djlint4.quant.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.quant.act.PerTokenQuantizer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Oracles 38-40 of ALGORITHMS.md §10. */
class DfrotOptimizerTest {

    private static final int D = 64;
    private static final int N = 400;

    @Test
    void refinedRotationIsOrthogonalAndLowersTheWeightedLoss() {
        float[] rows = calibrationRows(new Random(1));
        DfrotOptimizer opt = new DfrotOptimizer(100, 15);
        boolean[] massive = opt.massiveRows(rows, N, D);
        int count = 0;
        for (boolean m : massive) {
            count += m ? 1 : 0;
        }
        assertTrue(count >= 4 && count < N / 10, "massive rows: " + count);
        double[] r0 = new RandomizedHadamard(D, 0).toMatrix();
        DfrotOptimizer.Result r = opt.optimize(rows, N, D, massive, r0);
        assertTrue(Orthonormalization.orthogonalityError(r.rotation(), D) <= 1e-10);
        assertTrue(r.finalLoss() <= r.initialLoss(), r.finalLoss() + " > " + r.initialLoss());
        assertTrue(r.acceptedSteps() > 0);
    }

    @Test
    void unitWeightGivesTheUnweightedLossAndScalingCommutesWithQuantization() {
        float[] rows = calibrationRows(new Random(2));
        DfrotOptimizer opt = new DfrotOptimizer(1, 0);
        boolean[] none = new boolean[N];
        boolean[] all = new boolean[N];
        java.util.Arrays.fill(all, true);
        double[] identity = new double[D * D];
        for (int i = 0; i < D; i++) {
            identity[i * D + i] = 1;
        }
        DfrotOptimizer.Result a = opt.optimize(rows, N, D, none, identity);
        DfrotOptimizer.Result b = opt.optimize(rows, N, D, all, identity);
        assertEquals(a.initialLoss(), b.initialLoss(), 1e-9 * a.initialLoss());
        assertEquals(opt.loss(rows, N, D), a.initialLoss(), 1e-6 * a.initialLoss());
        float[] scaled = rows.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 4f;
        }
        assertEquals(4 * opt.loss(rows, N, D), opt.loss(scaled, N, D), 1e-6 * opt.loss(scaled, N, D));
    }

    /**
     * The reference compares loss norms with a slack of 100: a norm rising from 10 to 15 passes,
     * while the same slack on squared losses (100 to 225) refuses it; a rise past the slack is
     * refused under both, and a step must gain at least 0.1 against the slack.
     */
    @Test
    void procrustesStepsAreJudgedOnLossNormsNotTheirSquares() {
        assertTrue(DfrotOptimizer.accepts(10, 15));
        assertFalse(DfrotOptimizer.accepts(10 * 10, 15 * 15));
        assertTrue(DfrotOptimizer.accepts(10, 109.8));
        assertFalse(DfrotOptimizer.accepts(10, 109.95));
        assertFalse(DfrotOptimizer.accepts(10, 111));
        assertTrue(DfrotOptimizer.accepts(10, 2));
    }

    @Test
    void theReportedLossIsTheFrobeniusNormOfTheQuantizationError() {
        float[] rows = calibrationRows(new Random(3));
        DfrotOptimizer opt = new DfrotOptimizer(1, 0);
        float[] q = new float[rows.length];
        new PerTokenQuantizer(4, true, 1f).apply(rows, N, D, q);
        double squares = 0;
        for (int i = 0; i < rows.length; i++) {
            squares += (rows[i] - q[i]) * (double) (rows[i] - q[i]);
        }
        assertEquals(Math.sqrt(squares), opt.loss(rows, N, D), 1e-9 * Math.sqrt(squares));
    }

    /** Gaussian rows with a few outlier channels, plus a few massive rows with one huge channel. */
    private static float[] calibrationRows(Random rnd) {
        float[] rows = new float[N * D];
        for (int t = 0; t < N; t++) {
            for (int c = 0; c < D; c++) {
                rows[t * D + c] = (float) (rnd.nextGaussian() * (c % 16 == 3 ? 6 : 1));
            }
            if (t % 50 == 0) {
                for (int c = 0; c < D; c++) {
                    rows[t * D + c] *= 0.01f;
                }
                rows[t * D + 7] = (float) Math.sqrt(D);
            }
        }
        return rows;
    }
}
