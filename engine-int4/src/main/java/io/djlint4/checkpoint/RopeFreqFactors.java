package io.djlint4.checkpoint;

import io.djlint4.model.ModelConfig;
import io.djlint4.model.RopeScaling;

/**
 * Llama-3 rope scaling expressed as per-frequency divisors, the form llama.cpp stores in GGUF
 * files (tensor {@code rope_freqs.weight}, {@code headDim / 2} float32 values): frequency {@code
 * j} turns at {@code theta^(-2j/headDim) / factors[j]}.
 */
public final class RopeFreqFactors {

    private RopeFreqFactors() {}

    /**
     * Computes the divisors for a llama3 rope scaling as llama.cpp's {@code convert_hf_to_gguf.py}
     * does.
     *
     * @param headDim the head dimension
     * @param theta the rope base
     * @param s the scaling
     * @return {@code headDim / 2} divisors (1 for high frequencies, {@code factor} for low ones,
     *     smoothly interpolated between)
     */
    public static float[] llama3(int headDim, double theta, RopeScaling s) {
        float[] out = new float[headDim / 2];
        double lowFreqWavelen = s.originalMaxPosition() / s.lowFreqFactor();
        double highFreqWavelen = s.originalMaxPosition() / s.highFreqFactor();
        for (int j = 0; j < out.length; j++) {
            float freq = (float) (1.0 / Math.pow(theta, (2.0 * j) / headDim));
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highFreqWavelen) {
                out[j] = 1f;
            } else if (wavelen > lowFreqWavelen) {
                out[j] = (float) s.factor();
            } else {
                double smooth =
                        (s.originalMaxPosition() / wavelen - s.lowFreqFactor())
                                / (s.highFreqFactor() - s.lowFreqFactor());
                out[j] = (float) (1 / ((1 - smooth) / s.factor() + smooth));
            }
        }
        return out;
    }

    /**
     * Applies divisors to a configuration's unscaled rope frequencies.
     *
     * @param config the configuration ({@code headDim} and {@code ropeTheta} are used; its {@code
     *     ropeScaling} is ignored)
     * @param factors {@code headDim / 2} divisors
     * @return {@code headDim / 2} inverse frequencies, as float32
     */
    public static float[] inverseFrequencies(ModelConfig config, float[] factors) {
        int dim = config.headDim();
        if (factors.length != dim / 2) {
            throw new IllegalArgumentException(
                    "expected " + dim / 2 + " rope frequency factors, got " + factors.length);
        }
        float[] inv = new float[dim / 2];
        for (int j = 0; j < inv.length; j++) {
            inv[j] = (float) (1.0 / Math.pow(config.ropeTheta(), (2.0 * j) / dim)) / factors[j];
        }
        return inv;
    }
}
