package io.djlint4.quant.fp4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.djlint4.kernels.Fp4Format;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Fake quantization with per-channel units against its definition, value by value. */
class ActivationBiasTest {

    @ParameterizedTest
    @EnumSource(Fp4Format.class)
    void channelUnitsGiveTheShiftedQuantizationBitForBit(Fp4Format format) {
        int width = 40;
        int rows = 50;
        Random rnd = new Random(format.ordinal());
        float[] x = new float[rows * width];
        for (int j = 0; j < width; j++) {
            // Channels from 1e-4 to 1e3 in scale, so the shifts span their whole range and clamp.
            double scale = Math.pow(10, -4 + 7.0 * j / width);
            for (int t = 0; t < rows; t++) {
                x[t * width + j] = (float) (rnd.nextGaussian() * scale);
            }
        }
        double[] channelBiases = ActivationBias.channelBiases(format, x, rows, width);
        int maxShift = (1 << format.exponentBits()) - 1;
        for (double multiplier : new double[] {0.05, 0.5, 1.0, 1.17}) {
            ActivationBias bias =
                    ActivationBias.of(format, channelBiases, ActivationBias.initialRho(channelBiases) * multiplier);
            float[] got = new float[x.length];
            bias.fakeQuantize(x, rows, width, got);
            float u = bias.unit();
            int seenMax = 0;
            for (int j = 0; j < width; j++) {
                int k = bias.shifts()[j];
                seenMax = Math.max(seenMax, k);
                for (int t = 0; t < rows; t++) {
                    int i = t * width + j;
                    float expected = Math.scalb(format.quantize(Math.scalb(x[i], k), u), -k);
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got[i]),
                            format + " x=" + x[i] + " k=" + k + ": " + expected + " vs " + got[i]);
                }
            }
            assertEquals(maxShift, seenMax, "the channels must reach the largest shift");
        }
    }
}
