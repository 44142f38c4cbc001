package io.djlint4.quant.calib;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.CalibrationProgress;
import io.djlint4.quant.WeightPlan;
import io.djlint4.quant.WeightPlan.PlannedWeight;
import io.djlint4.quant.rotation.OnlineRotations;
import io.djlint4.quant.weight.QuantizedMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * Chooses the weight group size of every projection of a weight-only model under a budget of bits
 * per weight (recipe token {@code auto} on {@code w4a16+dq}). Each input channel's mean square
 * over the calibration tokens, {@code E[x_k²]} (the diagonal of GPTQ's Hessian, which llama.cpp
 * keeps as its importance matrix), weights the rounding error of every column: a projection's
 * relative output error at a group size is {@code Σ_k E[x_k²]·‖Ŵ[:,k] − W[:,k]‖² / Σ_k
 * E[x_k²]·‖W[:,k]‖²}. Every projection starts at the cheapest candidate; then, greedily, the move
 * to a finer group that saves the most error per added bit is taken while the bits of all
 * projections stay within the budget. Deterministic: the same weights and
 * sequences give the same plan. The caller re-checks the plan end to end against the recipe's own
 * group size.
 */
public final class WeightPlanner {

    /** The group sizes a projection may get, coarsest first. */
    public static final int[] CANDIDATE_GROUPS = {128, 64, 32, 16};

    /** Rounds one projection's weights at a group size, as the recipe rounds them. */
    @FunctionalInterface
    public interface Rounding {
        /**
         * Quantizes a matrix.
         *
         * @param groupSize weights per grid along a row
         * @param w the weights, row-major {@code [rows, cols]}
         * @param rows output channels
         * @param cols input channels
         * @return the codes and grids
         */
        QuantizedMatrix round(int groupSize, float[] w, int rows, int cols);
    }

    private final CalibrationProgress progress;

    /**
     * Creates the planner.
     *
     * @param progress hears of each measured sequence and candidate
     */
    public WeightPlanner(CalibrationProgress progress) {
        this.progress = progress;
    }

    /**
     * Measures and chooses.
     *
     * @param weights the full-precision weights the projections quantize (rotated when the recipe rotates)
     * @param online the online rotations in front of the projections
     * @param rounding how a projection is rounded at a group size
     * @param startGroup the recipe's own group size, whose error each entry reports beside its choice
     * @param budget the most bits per projection weight, codes and grids counted
     * @param calib the calibration sequences (the first {@value ActivationPlanner#SEQUENCES} are measured)
     * @return the plan
     * @throws IllegalArgumentException when even the coarsest groups take more than the budget
     */
    public WeightPlan plan(ModelWeights weights, OnlineRotations online, Rounding rounding, int startGroup,
            double budget, CalibrationSet calib) {
        double[][][] meanSquares = meanSquares(weights, online, calib);
        ModelConfig c = weights.config();
        int kinds = LinearKind.values().length;
        int projections = c.numLayers() * kinds;
        int start = startIndex(startGroup);
        int[] groups = CANDIDATE_GROUPS;
        double[][] errors = new double[projections][groups.length];
        long[][] bits = new long[projections][groups.length];
        long weightCount = 0;
        for (int l = 0; l < c.numLayers(); l++) {
            for (LinearKind kind : LinearKind.values()) {
                int p = l * kinds + kind.ordinal();
                int rows = kind.outFeatures(c);
                int cols = kind.inFeatures(c);
                weightCount += (long) rows * cols;
                float[] w = weights.layers()[l].weight(kind);
                double[] importance = meanSquares[l][kind.slot().ordinal()];
                for (int g = 0; g < groups.length; g++) {
                    QuantizedMatrix q = rounding.round(groups[g], w, rows, cols);
                    errors[p][g] = relativeError(w, q.dequantize(), rows, cols, importance);
                    bits[p][g] = q.storedBits();
                }
            }
            progress.update("weight plan layers", l + 1, c.numLayers());
        }
        long coarsest = 0;
        for (long[] b : bits) {
            coarsest += b[cheapest(b)];
        }
        long budgetBits = (long) Math.floor(budget * weightCount);
        if (coarsest > budgetBits) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "no weight plan fits %.3f bits per weight:"
                    + " the coarsest groups (g%d) already take %.3f; raise the weight budget (int4 --weight-budget,"
                    + " DJL option weightBudget)", budget, groups[0], (double) coarsest / weightCount));
        }
        int[] chosen = choose(errors, bits, budgetBits);
        List<PlannedWeight> plan = new ArrayList<>();
        for (int p = 0; p < projections; p++) {
            int i = chosen[p];
            LinearKind kind = LinearKind.values()[p % kinds];
            // a group longer than the row is the row, as the quantizer takes it
            plan.add(new PlannedWeight(p / kinds, kind, Math.min(groups[i], kind.inFeatures(c)), bits[p][i],
                    errors[p][i], errors[p][start]));
        }
        return new WeightPlan(plan);
    }

    /** Where the recipe's own group size stands among the candidates. */
    static int startIndex(int startGroup) {
        for (int i = 0; i < CANDIDATE_GROUPS.length; i++) {
            if (CANDIDATE_GROUPS[i] == startGroup) {
                return i;
            }
        }
        throw new IllegalArgumentException("a weight plan starts from groups of 16, 32, 64 or 128, got " + startGroup);
    }

    /**
     * Every projection at its cheapest candidate, then the best move by error saved per added bit
     * while the budget allows: each projection's next move goes to whichever finer candidate saves
     * the most per bit, ties to the earlier projection.
     *
     * @param errors [projection][candidate] relative errors
     * @param bits [projection][candidate] bits
     * @param budget the most bits all projections may take
     * @return each projection's candidate index
     */
    static int[] choose(double[][] errors, long[][] bits, long budget) {
        int n = errors.length;
        int[] chosen = new int[n];
        long used = 0;
        for (int p = 0; p < n; p++) {
            chosen[p] = cheapest(bits[p]);
            used += bits[p][chosen[p]];
        }
        PriorityQueue<Move> moves = new PriorityQueue<>((a, b) -> a.gainPerBit() != b.gainPerBit()
                ? Double.compare(b.gainPerBit(), a.gainPerBit())
                : Integer.compare(a.projection(), b.projection()));
        for (int p = 0; p < n; p++) {
            Move m = bestMove(p, chosen[p], errors[p], bits[p]);
            if (m != null) {
                moves.add(m);
            }
        }
        while (!moves.isEmpty()) {
            Move m = moves.poll();
            int p = m.projection();
            long extra = bits[p][m.to()] - bits[p][chosen[p]];
            if (used + extra > budget) {
                continue;
            }
            used += extra;
            chosen[p] = m.to();
            Move next = bestMove(p, chosen[p], errors[p], bits[p]);
            if (next != null) {
                moves.add(next);
            }
        }
        return chosen;
    }

    /** Moving one projection to a finer candidate, and the error it saves per added bit. */
    private record Move(int projection, int to, double gainPerBit) {}

    private static Move bestMove(int p, int from, double[] errors, long[] bits) {
        int best = -1;
        double bestGain = 0;
        for (int j = 0; j < errors.length; j++) {
            long extra = bits[j] - bits[from];
            double saved = errors[from] - errors[j];
            if (extra > 0 && saved > 0 && saved / extra > bestGain) {
                best = j;
                bestGain = saved / extra;
            }
        }
        return best < 0 ? null : new Move(p, best, bestGain);
    }

    private static int cheapest(long[] bits) {
        int best = 0;
        for (int j = 1; j < bits.length; j++) {
            if (bits[j] < bits[best]) {
                best = j;
            }
        }
        return best;
    }

    /** {@code E[x_k²]} of every layer's slot inputs, as the projections see them (after online rotations). */
    private double[][][] meanSquares(ModelWeights weights, OnlineRotations online, CalibrationSet calib) {
        ModelConfig c = weights.config();
        double[][][] sums = new double[c.numLayers()][LinearSlot.values().length][];
        long[][] counts = new long[c.numLayers()][LinearSlot.values().length];
        DecoderModel model = DecoderModel.fromWeights(weights);
        List<long[]> sequences = ActivationPlanner.measuredSequences(calib);
        for (int i = 0; i < sequences.size(); i++) {
            model.forward(ForwardRequest.of(sequences.get(i), false).withObserver((layer, slot, x, rows, width) -> {
                float[] seen = online.asSeen(slot, x, rows, width);
                double[] s = sums[layer][slot.ordinal()];
                if (s == null) {
                    s = new double[width];
                    sums[layer][slot.ordinal()] = s;
                }
                for (int r = 0; r < rows; r++) {
                    for (int k = 0; k < width; k++) {
                        double v = seen[r * width + k];
                        s[k] += v * v;
                    }
                }
                counts[layer][slot.ordinal()] += rows;
            }));
            progress.update("weight plan sequences", i + 1, sequences.size());
        }
        for (int l = 0; l < c.numLayers(); l++) {
            for (int s = 0; s < LinearSlot.values().length; s++) {
                if (sums[l][s] == null) {
                    throw new IllegalStateException("layer " + l + " " + LinearSlot.values()[s] + " saw no input");
                }
                for (int k = 0; k < sums[l][s].length; k++) {
                    sums[l][s][k] /= counts[l][s];
                }
            }
        }
        return sums;
    }

    /** {@code Σ_k d_k·‖Ŵ[:,k] − W[:,k]‖² / Σ_k d_k·‖W[:,k]‖²}. */
    static double relativeError(float[] w, float[] q, int rows, int cols, double[] importance) {
        double err = 0;
        double ref = 0;
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                double d = w[r * cols + k] - q[r * cols + k];
                err += importance[k] * d * d;
                ref += importance[k] * w[r * cols + k] * w[r * cols + k];
            }
        }
        return err / Math.max(ref, Double.MIN_NORMAL);
    }
}
