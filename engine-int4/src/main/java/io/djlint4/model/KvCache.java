package io.djlint4.model;

/**
 * Keys and values of every layer for a batch of sequences, each layer's array laid out {@code
 * [batch, kvHeads, length, headDim]} as DJL's {@code TextGenerator} exchanges them. Keys are
 * stored after rope, and after the per-head rotation of a model with one ({@link KvCacheScheme});
 * a model that quantizes its cache stores the rounded keys and values its attention used.
 */
public final class KvCache {

    private final int batch;
    private final int kvHeads;
    private final int length;
    private final int headDim;
    private final float[][] keys;
    private final float[][] values;

    /**
     * Wraps existing per-layer arrays (not copied).
     *
     * @param batch the number of sequences
     * @param kvHeads the number of key/value heads
     * @param length the number of cached positions
     * @param headDim the head dimension
     * @param keys per-layer keys, each {@code [batch, kvHeads, length, headDim]}
     * @param values per-layer values, same shape
     */
    public KvCache(
            int batch, int kvHeads, int length, int headDim, float[][] keys, float[][] values) {
        if (keys.length != values.length) {
            throw new IllegalArgumentException(
                    keys.length + " key layers but " + values.length + " value layers");
        }
        long expected = (long) batch * kvHeads * length * headDim;
        for (int l = 0; l < keys.length; l++) {
            if (keys[l].length != expected || values[l].length != expected) {
                throw new IllegalArgumentException(
                        "layer "
                                + l
                                + " cache holds "
                                + keys[l].length
                                + "/"
                                + values[l].length
                                + " values, expected "
                                + expected
                                + " for [batch="
                                + batch
                                + ", kvHeads="
                                + kvHeads
                                + ", length="
                                + length
                                + ", headDim="
                                + headDim
                                + "]");
            }
        }
        this.batch = batch;
        this.kvHeads = kvHeads;
        this.length = length;
        this.headDim = headDim;
        this.keys = keys;
        this.values = values;
    }

    /**
     * Creates an empty cache (length 0) for {@code layers} layers.
     *
     * @param layers the number of layers
     * @param batch the number of sequences
     * @param kvHeads the number of key/value heads
     * @param headDim the head dimension
     * @return the cache
     */
    public static KvCache empty(int layers, int batch, int kvHeads, int headDim) {
        float[][] k = new float[layers][0];
        float[][] v = new float[layers][0];
        return new KvCache(batch, kvHeads, 0, headDim, k, v);
    }

    /**
     * Returns the number of sequences.
     *
     * @return the batch size
     */
    public int batch() {
        return batch;
    }

    /**
     * Returns the number of key/value heads.
     *
     * @return the head count
     */
    public int kvHeads() {
        return kvHeads;
    }

    /**
     * Returns the number of cached positions.
     *
     * @return the length
     */
    public int length() {
        return length;
    }

    /**
     * Returns the head dimension.
     *
     * @return the head dimension
     */
    public int headDim() {
        return headDim;
    }

    /**
     * Returns the number of layers.
     *
     * @return the layer count
     */
    public int layers() {
        return keys.length;
    }

    /**
     * Returns one layer's keys (the live array, not a copy).
     *
     * @param layer the layer index
     * @return the keys {@code [batch, kvHeads, length, headDim]}
     */
    public float[] keys(int layer) {
        return keys[layer];
    }

    /**
     * Returns one layer's values (the live array, not a copy).
     *
     * @param layer the layer index
     * @return the values {@code [batch, kvHeads, length, headDim]}
     */
    public float[] values(int layer) {
        return values[layer];
    }
}
