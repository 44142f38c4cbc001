package io.djlint4.model;

/**
 * Rotary position embedding in the rotate-half layout: channel {@code j} of a head pairs with
 * channel {@code j + headDim/2} and turns by {@code position · invFreq[j]}. Checkpoints stored with
 * interleaved pairs are permuted to this layout when loaded, so the hot loop has one form.
 */
public final class RotaryEmbedding {

    private final int headDim;
    private final float[] invFreq;

    /**
     * Creates the embedding from the model's configuration, applying llama3 frequency scaling
     * when the configuration has it.
     *
     * @param config the model configuration
     */
    public RotaryEmbedding(ModelConfig config) {
        this(config.headDim(), frequencies(config));
    }

    /**
     * Creates the embedding from explicit inverse frequencies.
     *
     * @param headDim the head dimension
     * @param invFreq {@code headDim / 2} inverse frequencies
     */
    public RotaryEmbedding(int headDim, float[] invFreq) {
        if (invFreq.length != headDim / 2) {
            throw new IllegalArgumentException(
                    "expected " + headDim / 2 + " rope frequencies, got " + invFreq.length);
        }
        this.headDim = headDim;
        this.invFreq = invFreq.clone();
    }

    /**
     * Computes the inverse frequencies of a configuration, in float32 like Hugging Face does.
     *
     * @param config the model configuration
     * @return {@code headDim / 2} inverse frequencies
     */
    public static float[] frequencies(ModelConfig config) {
        int dim = config.headDim();
        float[] inv = new float[dim / 2];
        for (int j = 0; j < inv.length; j++) {
            inv[j] = (float) (1.0 / Math.pow(config.ropeTheta(), (2.0 * j) / dim));
        }
        RopeScaling s = config.ropeScaling();
        if (s != null) {
            scaleLlama3(inv, s);
        }
        return inv;
    }

    private static void scaleLlama3(float[] inv, RopeScaling s) {
        double lowFreqWavelen = s.originalMaxPosition() / s.lowFreqFactor();
        double highFreqWavelen = s.originalMaxPosition() / s.highFreqFactor();
        for (int j = 0; j < inv.length; j++) {
            double wavelen = 2 * Math.PI / inv[j];
            if (wavelen < highFreqWavelen) {
                continue;
            }
            if (wavelen > lowFreqWavelen) {
                inv[j] = (float) (inv[j] / s.factor());
            } else {
                double smooth =
                        (s.originalMaxPosition() / wavelen - s.lowFreqFactor())
                                / (s.highFreqFactor() - s.lowFreqFactor());
                inv[j] = (float) ((1 - smooth) * inv[j] / s.factor() + smooth * inv[j]);
            }
        }
    }

    /**
     * Rotates {@code heads} consecutive heads of one token in place.
     *
     * @param v the vectors
     * @param off offset of the first head
     * @param heads the number of heads
     * @param position the token's position
     */
    public void apply(float[] v, int off, int heads, long position) {
        int half = headDim / 2;
        float pos = position;
        for (int j = 0; j < half; j++) {
            float angle = pos * invFreq[j];
            float cos = (float) Math.cos(angle);
            float sin = (float) Math.sin(angle);
            for (int h = 0; h < heads; h++) {
                int a = off + h * headDim + j;
                int b = a + half;
                float x0 = v[a];
                float x1 = v[b];
                v[a] = x0 * cos - x1 * sin;
                v[b] = x1 * cos + x0 * sin;
            }
        }
    }
}
