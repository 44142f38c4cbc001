package io.djlint4.model;

import java.util.Random;

/** Seeded random weights of any configuration, for tests that need a model but not a trained one. */
public final class RandomWeights {

    private RandomWeights() {}

    /**
     * Creates weights with normal entries of standard deviation {@code 0.5 / sqrt(in)} for
     * matrices (so activations stay near unit scale), small biases and norm gains near 1.
     *
     * @param c the configuration (its bias, q/k-norm and tying flags are honoured)
     * @param seed the random seed
     * @return the weights
     */
    public static ModelWeights of(ModelConfig c, long seed) {
        Random rnd = new Random(seed);
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        float[] embedding = normal(rnd, (long) c.vocabSize() * h, 1.0);
        LayerWeights[] layers = new LayerWeights[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            boolean bias = c.attentionBias();
            layers[l] =
                    new LayerWeights(
                            gain(rnd, h),
                            normal(rnd, (long) c.qDim() * h, 0.5 / Math.sqrt(h)),
                            normal(rnd, (long) c.kvDim() * h, 0.5 / Math.sqrt(h)),
                            normal(rnd, (long) c.kvDim() * h, 0.5 / Math.sqrt(h)),
                            normal(rnd, (long) h * c.qDim(), 0.5 / Math.sqrt(c.qDim())),
                            bias ? normal(rnd, c.qDim(), 0.1) : null,
                            bias ? normal(rnd, c.kvDim(), 0.1) : null,
                            bias ? normal(rnd, c.kvDim(), 0.1) : null,
                            c.qkNorm() ? gain(rnd, c.headDim()) : null,
                            c.qkNorm() ? gain(rnd, c.headDim()) : null,
                            gain(rnd, h),
                            normal(rnd, (long) inter * h, 0.5 / Math.sqrt(h)),
                            normal(rnd, (long) inter * h, 0.5 / Math.sqrt(h)),
                            normal(rnd, (long) h * inter, 0.5 / Math.sqrt(inter)));
        }
        float[] lmHead =
                c.tieWordEmbeddings() ? embedding : normal(rnd, (long) c.vocabSize() * h, 1.0 / Math.sqrt(h));
        return new ModelWeights(c, embedding, layers, gain(rnd, h), lmHead);
    }

    private static float[] normal(Random rnd, long n, double std) {
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextGaussian() * std);
        }
        return a;
    }

    private static float[] gain(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (1.0 + 0.2 * rnd.nextGaussian());
        }
        return a;
    }
}
