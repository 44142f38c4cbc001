package io.djlint4.quant.calib;

import io.djlint4.kernels.Fp32Matmul;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LayerWeights;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.LogSoftmax;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.ModelWeights;
import io.djlint4.quant.ActivationPlan;
import io.djlint4.quant.CalibrationProgress;
import io.djlint4.quant.ActivationPlan.PlannedInput;
import io.djlint4.quant.act.ActivationQuantizer;
import io.djlint4.quant.rotation.OnlineRotations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses which linear inputs of a W·A model get 8-bit activations (recipe token {@code auto}):
 * the calibration sequences run through the model with every input at the recipe's width, and
 * for each layer and slot the relative output error of its projections, {@code Σ‖W(x̂ − x)‖² /
 * Σ‖Wx‖²} with {@code W} the full-precision (rotated) weights and {@code x} the input as the
 * quantizer sees it (after the online rotation), is measured with the input quantized at the
 * recipe's width and at 8 bits. Inputs are then widened greedily by error saved per projection,
 * while at most {@link #WIDE_SHARE} of the projections read 8-bit inputs (q, k and v count three
 * for their shared input). The caller re-checks the chosen plan end to end ({@link #meanKl}) and
 * keeps every input at the recipe's width if the plan does not lower the KL from full precision
 * on the same sequences. Everything is deterministic: the same model and sequences give the same
 * plan.
 */
public final class ActivationPlanner {

    /** The largest share of the projections whose inputs may be widened to 8 bits. */
    public static final double WIDE_SHARE = 0.10;

    /** Calibration sequences the errors are measured on (the first ones of the set). */
    static final int SEQUENCES = 8;

    /** The quantizer of one slot's inputs at a width, as the model runs it. */
    @FunctionalInterface
    public interface Quantizers {
        /**
         * Returns the quantizer of a slot's input.
         *
         * @param slot the linear input
         * @param bits the activation width
         * @return the quantizer
         */
        ActivationQuantizer of(LinearSlot slot, int bits);
    }

    private final CalibrationProgress progress;

    /**
     * Creates the planner.
     *
     * @param progress hears of each measured sequence
     */
    public ActivationPlanner(CalibrationProgress progress) {
        this.progress = progress;
    }

    /**
     * Measures and chooses.
     *
     * @param model the model with every input at {@code narrowBits}
     * @param weights the full-precision weights the model's projections quantize (rotated when the
     *     recipe rotates)
     * @param online the online rotations in front of the projections
     * @param quantizers the activation quantizers of the recipe
     * @param narrowBits the recipe's activation width
     * @param calib the calibration sequences
     * @return the plan, with what was measured for every input
     */
    public ActivationPlan plan(DecoderModel model, ModelWeights weights, OnlineRotations online, Quantizers quantizers,
            int narrowBits, CalibrationSet calib) {
        ModelConfig c = weights.config();
        int layers = c.numLayers();
        int slots = LinearSlot.values().length;
        // [layer][slot][0: ‖Wx‖², 1: narrow error, 2: wide error]
        double[][][] sums = new double[layers][slots][3];
        List<long[]> sequences = measuredSequences(calib);
        for (int i = 0; i < sequences.size(); i++) {
            model.forward(ForwardRequest.of(sequences.get(i), false).withObserver((layer, slot, x, rows, width) -> {
                float[] seen = online.asSeen(slot, x, rows, width);
                measure(weights.layers()[layer], c, slot, seen, rows, width, quantizers, narrowBits,
                        sums[layer][slot.ordinal()]);
            }));
            progress.update("activation plan sequences", i + 1, sequences.size());
        }
        return choose(sums, narrowBits);
    }

    /**
     * Returns the calibration sequences the planner measures and re-checks on.
     *
     * @param calib the calibration set
     * @return its first {@value #SEQUENCES} sequences (or all, when fewer)
     */
    public static List<long[]> measuredSequences(CalibrationSet calib) {
        return calib.sequences().subList(0, Math.min(SEQUENCES, calib.sequences().size()));
    }

    /**
     * Returns the mean per-position {@code KL(P_reference || P_model)} over sequences, each run
     * from its start: how a plan is re-checked end to end.
     *
     * @param model the quantized model
     * @param reference the full-precision model
     * @param sequences the token sequences
     * @return the mean KL in nats
     */
    public static double meanKl(DecoderModel model, DecoderModel reference, List<long[]> sequences) {
        int vocab = reference.config().vocabSize();
        double total = 0;
        long positions = 0;
        for (long[] ids : sequences) {
            float[] p = reference.forward(ForwardRequest.of(ids, true)).logits();
            float[] q = model.forward(ForwardRequest.of(ids, true)).logits();
            for (int t = 0; t < ids.length; t++) {
                int off = t * vocab;
                double lp = LogSoftmax.logSumExp(p, off, vocab);
                double lq = LogSoftmax.logSumExp(q, off, vocab);
                double kl = 0;
                for (int v = 0; v < vocab; v++) {
                    double logP = p[off + v] - lp;
                    kl += Math.exp(logP) * (logP - (q[off + v] - lq));
                }
                total += kl;
                positions++;
            }
        }
        return total / positions;
    }

    private static void measure(LayerWeights w, ModelConfig c, LinearSlot slot, float[] x, int rows, int width,
            Quantizers quantizers, int narrowBits, double[] sums) {
        float[] narrow = error(quantizers.of(slot, narrowBits), x, rows, width);
        float[] wide = error(quantizers.of(slot, ActivationPlan.WIDE_BITS), x, rows, width);
        for (LinearKind kind : LinearKind.readingFrom(slot)) {
            int out = kind.outFeatures(c);
            float[] y = new float[rows * out];
            float[] weight = w.weight(kind);
            Fp32Matmul.matmul(x, rows, weight, null, out, width, y);
            sums[0] += squares(y);
            Fp32Matmul.matmul(narrow, rows, weight, null, out, width, y);
            sums[1] += squares(y);
            Fp32Matmul.matmul(wide, rows, weight, null, out, width, y);
            sums[2] += squares(y);
        }
    }

    /** The quantization error {@code x̂ − x} of every row. */
    private static float[] error(ActivationQuantizer q, float[] x, int rows, int width) {
        float[] e = new float[rows * width];
        q.apply(x, rows, width, e);
        for (int i = 0; i < e.length; i++) {
            e[i] -= x[i];
        }
        return e;
    }

    private static double squares(float[] y) {
        double s = 0;
        for (float v : y) {
            s += (double) v * v;
        }
        return s;
    }

    /** Widens inputs by error saved per projection, ties by layer and slot, within the share. */
    static ActivationPlan choose(double[][][] sums, int narrowBits) {
        int layers = sums.length;
        int slots = LinearSlot.values().length;
        int projections = layers * LinearKind.values().length;
        int budget = (int) Math.floor(WIDE_SHARE * projections);
        record Candidate(int layer, LinearSlot slot, double gain) {}
        List<Candidate> candidates = new ArrayList<>();
        double[][][] relative = new double[layers][slots][2];
        for (int l = 0; l < layers; l++) {
            for (LinearSlot slot : LinearSlot.values()) {
                double[] s = sums[l][slot.ordinal()];
                double ref = Math.max(s[0], Double.MIN_NORMAL);
                relative[l][slot.ordinal()][0] = s[1] / ref;
                relative[l][slot.ordinal()][1] = s[2] / ref;
                double gain = (s[1] - s[2]) / ref / ActivationPlan.linearsReading(slot);
                if (gain > 0) {
                    candidates.add(new Candidate(l, slot, gain));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::gain).reversed()
                .thenComparingInt(Candidate::layer)
                .thenComparing(Candidate::slot));
        boolean[][] wide = new boolean[layers][slots];
        int used = 0;
        for (Candidate cand : candidates) {
            int cost = ActivationPlan.linearsReading(cand.slot());
            if (used + cost <= budget) {
                wide[cand.layer()][cand.slot().ordinal()] = true;
                used += cost;
            }
        }
        List<PlannedInput> inputs = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (LinearSlot slot : LinearSlot.values()) {
                double[] r = relative[l][slot.ordinal()];
                inputs.add(new PlannedInput(l, slot, wide[l][slot.ordinal()] ? ActivationPlan.WIDE_BITS : narrowBits,
                        r[0], r[1]));
            }
        }
        return new ActivationPlan(inputs);
    }
}
