package io.djlint4.quant.fp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.kernels.Fp32Matmul;
import io.djlint4.kernels.Fp4Format;
import io.djlint4.quant.Execution;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Oracle 26 at the layer level: the per-channel-bias fake quantization of the input times the
 * unshifted quantized weight equals the pre-shifted input quantized with ρ times the weight with
 * {@code 2^(−k_j)} folded into its columns.
 */
class Fp4FoldingTest {

    private static final int ROWS = 16;
    private static final int IN = 64;
    private static final int OUT = 48;

    /** Inputs whose channel ranges span four binades, with one zero channel. */
    static float[] inputs(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[ROWS * IN];
        for (int t = 0; t < ROWS; t++) {
            for (int j = 0; j < IN; j++) {
                float scale = j == 3 ? 0f : (float) Math.pow(2, j % 5);
                x[t * IN + j] = (float) rnd.nextGaussian() * scale;
            }
        }
        return x;
    }

    static float[] weights(long seed, int out, int in) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        return w;
    }

    @ParameterizedTest
    @EnumSource(Fp4Format.class)
    void foldedShiftsGiveThePerChannelBiasLayerOutput(Fp4Format format) {
        float[] x = inputs(1);
        float[] w = weights(2, OUT, IN);
        double[] b = ActivationBias.channelBiases(format, x, ROWS, IN);
        ActivationBias act = ActivationBias.of(format, b, ActivationBias.initialRho(b) + 0.3);
        int maxShift = (1 << format.exponentBits()) - 1;
        int distinct = 0;
        for (int j = 0; j < IN; j++) {
            int k = act.shifts()[j];
            assertTrue(k >= 0 && k <= maxShift, "k_" + j + " = " + k);
            distinct |= 1 << k;
        }
        assertEquals(maxShift, act.shifts()[3], "an all-zero channel takes the largest shift");
        assertTrue(Integer.bitCount(distinct) >= Math.min(3, maxShift + 1), "the test needs several distinct shifts");

        float[] xPerChannel = new float[ROWS * IN];
        for (int t = 0; t < ROWS; t++) {
            for (int j = 0; j < IN; j++) {
                float unit = (float) format.unit(act.rho() + act.shifts()[j]);
                xPerChannel[t * IN + j] = format.quantize(x[t * IN + j], unit);
            }
        }
        float[] xShiftedBack = new float[ROWS * IN];
        act.fakeQuantize(x, ROWS, IN, xShiftedBack);
        for (int i = 0; i < xPerChannel.length; i++) {
            assertEquals(xPerChannel[i], xShiftedBack[i], 0f, "element " + i);
        }

        double[] rowBiases = RowBiases.minMax(format, w, OUT, IN);
        float[] wq = new float[OUT * IN];
        RowBiases.fakeQuantize(format, w, OUT, IN, rowBiases, wq);
        float[] expected = new float[ROWS * OUT];
        Fp32Matmul.matmulScalar(xPerChannel, ROWS, wq, null, OUT, IN, expected);

        float scale = 0f;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0f);
        Fp4Linear layer = Fp4Linear.fold(w, OUT, IN, rowBiases, act);
        for (Execution execution : Execution.values()) {
            float[] actual = new float[ROWS * OUT];
            layer.layer(null, execution).forward(x, ROWS, actual);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-6f * scale, execution + " output " + i);
            }
        }
    }

    /**
     * The packed layer against the simulated one with the weight and the input in different
     * formats (as the format search may choose), a bias, sizes off the kernels' tile and chunk
     * widths, and token counts on both the GEMV and the GEMM path.
     */
    @ParameterizedTest
    @CsvSource({"E2M1, E3M0", "E1M2, E2M1", "E3M0, E1M2"})
    void packedLayerMatchesTheSimulatedOne(Fp4Format weightFormat, Fp4Format inputFormat) {
        int out = 37;
        int in = IN - 3;
        float[] w = weights(5, out, in);
        float[] bias = weights(6, out, 1);
        for (int rows : new int[] {1, 2, 5, ROWS}) {
            float[] x = new float[rows * in];
            float[] all = inputs(7);
            for (int t = 0; t < rows; t++) {
                System.arraycopy(all, t * IN, x, t * in, in);
            }
            double[] b = ActivationBias.channelBiases(inputFormat, x, rows, in);
            ActivationBias act = ActivationBias.of(inputFormat, b, ActivationBias.initialRho(b) + 0.6);
            Fp4Linear layer = Fp4Linear.fold(w, out, in, weightFormat, RowBiases.minMax(weightFormat, w, out, in), act);
            float[] simulated = new float[rows * out];
            layer.layer(bias, Execution.SIMULATED).forward(x, rows, simulated);
            float[] packed = new float[rows * out];
            layer.layer(bias, Execution.PACKED).forward(x, rows, packed);
            float scale = 0f;
            for (float v : simulated) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0f);
            for (int i = 0; i < simulated.length; i++) {
                assertEquals(simulated[i], packed[i], 1e-6f * scale, rows + " tokens, output " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Fp4Format.class)
    void foldedWeightIsTheQuantizedWeightTimesTwoToMinusK(Fp4Format format) {
        float[] x = inputs(3);
        float[] w = weights(4, OUT, IN);
        double[] b = ActivationBias.channelBiases(format, x, ROWS, IN);
        ActivationBias act = ActivationBias.of(format, b, ActivationBias.initialRho(b));
        double[] rowBiases = RowBiases.minMax(format, w, OUT, IN);
        float[] wq = new float[OUT * IN];
        RowBiases.fakeQuantize(format, w, OUT, IN, rowBiases, wq);
        float[] folded = Fp4Linear.fold(w, OUT, IN, rowBiases, act).weights().dequantize();
        for (int o = 0; o < OUT; o++) {
            for (int j = 0; j < IN; j++) {
                assertEquals(Math.scalb(wq[o * IN + j], -act.shifts()[j]), folded[o * IN + j], 0f, o + "," + j);
            }
        }
    }
}
