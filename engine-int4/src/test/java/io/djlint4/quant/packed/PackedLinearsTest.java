package io.djlint4.quant.packed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.LinearLayer;
import io.djlint4.quant.SimulatedQuantLinear;
import io.djlint4.quant.act.ActivationQuantizer;
import io.djlint4.quant.act.PerTokenQuantizer;
import io.djlint4.quant.smooth.RuntimeSmoother;
import io.djlint4.quant.weight.DoubleQuantizer;
import io.djlint4.quant.weight.QuantizedMatrix;
import io.djlint4.quant.weight.RtnQuantizer;
import io.djlint4.quant.weight.UniformQuantizer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Every packed projection against the simulated one built from the same codes: the weight codes
 * and the activation codes are the same, so outputs may differ only by float summation order,
 * bounded here by {@code 1e-5 · Σ|ŵ|·|x̂|} per output. Inputs carry an outlier channel, a
 * zero row (the scale floor) and shapes with tails (M = 1 and 7, K not a multiple of the group).
 */
class PackedLinearsTest {

    @ParameterizedTest(name = "w{0} a{1} group {2} {3} smooth {4}, {5}x{6}")
    @CsvSource({
        // weight-only: symmetric per-OC, asymmetric groups (with a tail), 3 bits, per-IC
        "4, 16, 0, sym, 0, 40, 72",
        "4, 16, 32, asym, 0, 24, 100",
        "3, 16, 16, asym, 0, 33, 64",
        "4, 16, 8, perIc, 0, 48, 40",
        // per-token integer products
        "4, 8, 0, sym, 0, 40, 72",
        "4, 4, 0, sym, 0, 19, 136",
        "3, 3, 0, sym, 0, 16, 64",
        "4, 4, 32, asym, 0, 24, 96",
        // runtime smoothing: the paper's 128, a small group and plain per-channel RS
        "4, 4, 0, sym, 128, 24, 300",
        "4, 4, 0, sym, 16, 24, 72",
        "4, 8, 0, sym, 1, 16, 40",
        "3, 3, 0, sym, 16, 16, 64",
        "4, 4, 32, asym, 16, 24, 96",
        "4, 8, 0, sym, 4096, 8, 4096",
    })
    void packedEqualsSimulatedUpToSummationOrder(
            int wBits, int aBits, int group, String layout, int smooth, int out, int in) {
        assertPackedEqualsSimulated(wBits, aBits, group, layout, smooth, out, in, true);
    }

    /** The same with a zero point per token ({@code asym}), on the integer GEMM and on runtime smoothing. */
    @ParameterizedTest(name = "w{0} a{1} group {2} {3} smooth {4}, {5}x{6}, asymmetric inputs")
    @CsvSource({
        "4, 8, 0, sym, 0, 40, 72",
        "4, 4, 0, sym, 0, 19, 136",
        "3, 3, 0, sym, 0, 16, 64",
        "4, 4, 32, asym, 0, 24, 96",
        "4, 4, 0, asym, 0, 17, 520",
        "4, 4, 0, sym, 128, 24, 300",
        "4, 8, 0, sym, 1, 16, 40",
        "4, 4, 32, asym, 16, 24, 96",
    })
    void packedEqualsSimulatedWithAsymmetricInputs(
            int wBits, int aBits, int group, String layout, int smooth, int out, int in) {
        assertPackedEqualsSimulated(wBits, aBits, group, layout, smooth, out, in, false);
    }

    /**
     * A grid per group of a token's channels ({@code ag32} …), symmetric or not, on the float
     * product: groups that divide the row, one that leaves a shorter last group, one wider than
     * the row; integer, asymmetric and double-quantized weights.
     */
    @ParameterizedTest(name = "w{0} a{1} weight group {2} {3}, activation group {4}, {5}x{6}, symmetric {7}")
    @CsvSource({
        "4, 4, 32, sym, 32, 24, 96, true",
        "4, 4, 32, asym, 32, 24, 96, false",
        "4, 8, 0, sym, 64, 40, 136, false",
        "3, 3, 16, asym, 32, 16, 64, true",
        "4, 4, 32, dq, 32, 17, 160, false",
        "4, 4, 0, dq, 128, 19, 100, true",
    })
    void packedEqualsSimulatedWithActivationGroups(int wBits, int aBits, int group, String layout, int tokenGroup,
            int out, int in, boolean symmetricInputs) {
        InputQuantization inputs =
                InputQuantization.perToken(aBits, 0.9f).withSymmetric(symmetricInputs).withTokenGroup(tokenGroup);
        assertPackedEqualsSimulated(wBits, group, layout, inputs, out, in);
    }

    private static void assertPackedEqualsSimulated(
            int wBits, int aBits, int group, String layout, int smooth, int out, int in, boolean symmetricInputs) {
        InputQuantization inputs =
                aBits == 16
                        ? InputQuantization.FULL_PRECISION
                        : (smooth > 0
                                        ? InputQuantization.runtimeSmooth(aBits, 0.9f, smooth)
                                        : InputQuantization.perToken(aBits, 0.9f))
                                .withSymmetric(symmetricInputs);
        assertPackedEqualsSimulated(wBits, group, layout, inputs, out, in);
    }

    private static void assertPackedEqualsSimulated(
            int wBits, int group, String layout, InputQuantization inputs, int out, int in) {
        Random rnd = new Random(31L * out + in + wBits + inputs.bits() + inputs.smoothGroup() + inputs.tokenGroup());
        float[] w = gaussian(rnd, out * in, 0.05f);
        float[] bias = gaussian(rnd, out, 0.1f);
        QuantizedMatrix q = quantize(w, out, in, wBits, group, layout);
        LinearLayer packed = PackedLinears.create(q, bias, inputs).orElseThrow();
        LinearLayer simulated =
                new SimulatedQuantLinear(null, simulatedInputs(inputs), q.dequantize(), bias, out, in, q.storedBits());
        for (int rows : new int[] {1, 7}) {
            float[] x = activations(rnd, rows, in);
            float[] expected = new float[rows * out];
            float[] actual = new float[rows * out];
            simulated.forward(x, rows, expected);
            packed.forward(x, rows, actual);
            float[] xq = roundedInputs(inputs, x, rows, in);
            float[] wq = q.dequantize();
            for (int t = 0; t < rows; t++) {
                for (int o = 0; o < out; o++) {
                    double magnitude = 0;
                    for (int k = 0; k < in; k++) {
                        magnitude += Math.abs(wq[o * in + k] * xq[t * in + k]);
                    }
                    double tol = 1e-5 * (magnitude + Math.abs(bias[o])) + 1e-7;
                    int i = t * out + o;
                    assertEquals(expected[i], actual[i], tol, "token " + t + ", output " + o);
                }
            }
        }
    }

    @Test
    void choosesTheLayerTheWeightsAndInputsCallFor() {
        Random rnd = new Random(5);
        float[] w = gaussian(rnd, 16 * 64, 1f);
        QuantizedMatrix perOc = quantize(w, 16, 64, 4, 0, "sym");
        assertInstanceOf(WeightOnlyLinear.class, PackedLinears.create(perOc, null, InputQuantization.FULL_PRECISION).orElseThrow());
        assertInstanceOf(QuantizedInputLinear.class,
                PackedLinears.create(perOc, null, InputQuantization.perToken(4, 1f)).orElseThrow());
        assertInstanceOf(QuantizedInputLinear.class,
                PackedLinears.create(perOc, null, InputQuantization.runtimeSmooth(4, 1f, 16)).orElseThrow());
        assertInstanceOf(WeightOnlyLinear.class,
                PackedLinears.create(quantize(w, 16, 64, 4, 8, "perIc"), null, InputQuantization.FULL_PRECISION)
                        .orElseThrow());
    }

    @Test
    void leavesToTheSimulatedPathWhatNoKernelTakes() {
        Random rnd = new Random(6);
        float[] w = gaussian(rnd, 16 * 64, 1f);
        // 8-bit weights do not fit a nibble
        QuantizedMatrix eightBit = new RtnQuantizer(new UniformQuantizer(8, true), 0, false).quantize(w, 16, 64);
        assertTrue(PackedLinears.create(eightBit, null, InputQuantization.FULL_PRECISION).isEmpty());
        // groups of 12 channels straddle packed words
        QuantizedMatrix twelve = quantize(w, 16, 64, 4, 12, "asym");
        assertTrue(PackedLinears.create(twelve, null, InputQuantization.FULL_PRECISION).isEmpty());
        // per-IC weights have no product with quantized inputs
        QuantizedMatrix perIc = quantize(w, 16, 64, 4, 8, "perIc");
        assertTrue(PackedLinears.create(perIc, null, InputQuantization.perToken(4, 1f)).isEmpty());
    }

    @Test
    void rejectsInputTreatmentsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> InputQuantization.perToken(1, 1f));
        assertThrows(IllegalArgumentException.class, () -> InputQuantization.perToken(4, 0f));
        assertThrows(IllegalArgumentException.class, () -> InputQuantization.runtimeSmooth(4, 1f, 0));
        assertThrows(IllegalArgumentException.class, () -> new InputQuantization(16, 1f, 8));
        assertThrows(IllegalArgumentException.class, () -> InputQuantization.FULL_PRECISION.withSymmetric(false));
        assertThrows(IllegalArgumentException.class, () -> InputQuantization.FULL_PRECISION.withTokenGroup(32));
        assertThrows(IllegalArgumentException.class, () -> InputQuantization.runtimeSmooth(4, 1f, 16).withTokenGroup(32));
        assertThrows(IllegalArgumentException.class, () -> InputQuantization.perToken(4, 1f).withTokenGroup(-1));
    }

    private static QuantizedMatrix quantize(float[] w, int out, int in, int bits, int group, String layout) {
        if (layout.equals("dq")) {
            return new DoubleQuantizer(bits, group).quantize(w, out, in);
        }
        boolean symmetric = layout.equals("sym");
        RtnQuantizer rtn = new RtnQuantizer(new UniformQuantizer(bits, symmetric), group, false);
        return layout.equals("perIc") ? rtn.quantizePerInputChannel(w, out, in) : rtn.quantize(w, out, in);
    }

    private static ActivationQuantizer simulatedInputs(InputQuantization inputs) {
        if (inputs.fullPrecision()) {
            return null;
        }
        PerTokenQuantizer perToken =
                new PerTokenQuantizer(inputs.bits(), inputs.symmetric(), inputs.clip(), inputs.tokenGroup());
        return inputs.smoothGroup() > 0 ? new RuntimeSmoother(inputs.smoothGroup(), perToken) : perToken;
    }

    private static float[] roundedInputs(InputQuantization inputs, float[] x, int rows, int in) {
        ActivationQuantizer q = simulatedInputs(inputs);
        if (q == null) {
            return x;
        }
        float[] out = new float[x.length];
        q.apply(x, rows, in, out);
        return out;
    }

    /** Gaussian rows with one outlier channel (×40) and, from two rows on, an all-zero row. */
    private static float[] activations(Random rnd, int rows, int in) {
        float[] x = gaussian(rnd, rows * in, 1f);
        for (int t = 0; t < rows; t++) {
            x[t * in + 3] *= 40f;
        }
        if (rows > 1) {
            java.util.Arrays.fill(x, in, 2 * in, 0f);
        }
        return x;
    }

    private static float[] gaussian(Random rnd, int n, float sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * sigma;
        }
        return v;
    }
}
