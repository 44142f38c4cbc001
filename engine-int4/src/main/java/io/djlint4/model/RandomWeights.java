package io.djlint4.model;

import java.util.SplittableRandom;

/**
 * Seeded random weights of any configuration: for tests, and for speed benchmarks at a real
 * model's shape when its weights are not at hand (speed does not depend on the values).
 */
public final class RandomWeights {

    private RandomWeights() {}

    /**
     * Creates weights with zero-mean uniform entries of standard deviation {@code 0.5 / sqrt(in)}
     * for matrices (so activations stay near unit scale), small biases and norm gains near 1.
     * Uniform rather than normal draws keep multi-gigabyte benchmark models quick to build.
     *
     * @param c the configuration (its bias, q/k-norm and tying flags are honoured)
     * @param seed the random seed
     * @return the weights
     */
    public static ModelWeights of(ModelConfig c, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        float[] embedding = uniform(rnd, (long) c.vocabSize() * h, 1.0);
        LayerWeights[] layers = new LayerWeights[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            boolean bias = c.attentionBias();
            layers[l] =
                    new LayerWeights(
                            gain(rnd, h),
                            uniform(rnd, (long) c.qDim() * h, 0.5 / Math.sqrt(h)),
                            uniform(rnd, (long) c.kvDim() * h, 0.5 / Math.sqrt(h)),
                            uniform(rnd, (long) c.kvDim() * h, 0.5 / Math.sqrt(h)),
                            uniform(rnd, (long) h * c.qDim(), 0.5 / Math.sqrt(c.qDim())),
                            bias ? uniform(rnd, c.qDim(), 0.1) : null,
                            bias ? uniform(rnd, c.kvDim(), 0.1) : null,
                            bias ? uniform(rnd, c.kvDim(), 0.1) : null,
                            c.qkNorm() ? gain(rnd, c.headDim()) : null,
                            c.qkNorm() ? gain(rnd, c.headDim()) : null,
                            gain(rnd, h),
                            uniform(rnd, (long) inter * h, 0.5 / Math.sqrt(h)),
                            uniform(rnd, (long) inter * h, 0.5 / Math.sqrt(h)),
                            uniform(rnd, (long) h * inter, 0.5 / Math.sqrt(inter)));
        }
        float[] lmHead =
                c.tieWordEmbeddings() ? embedding : uniform(rnd, (long) c.vocabSize() * h, 1.0 / Math.sqrt(h));
        return new ModelWeights(c, embedding, layers, gain(rnd, h), lmHead);
    }

    private static float[] uniform(SplittableRandom rnd, long n, double std) {
        float[] a = new float[Math.toIntExact(n)];
        double halfWidth = std * Math.sqrt(3);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((2 * rnd.nextDouble() - 1) * halfWidth);
        }
        return a;
    }

    private static float[] gain(SplittableRandom rnd, int n) {
        return shifted(uniform(rnd, n, 0.2), 1f);
    }

    private static float[] shifted(float[] a, float by) {
        for (int i = 0; i < a.length; i++) {
            a[i] += by;
        }
        return a;
    }
}
