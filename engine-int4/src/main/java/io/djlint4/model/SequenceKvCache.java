package io.djlint4.model;

/**
 * The keys and values of one sequence for every layer, grown in place: each layer's values are
 * laid out {@code [kvHeads, capacity, headDim]} and its keys dimension-major, {@code [kvHeads,
 * headDim, capacity]}, so a query's scores over all positions are one vector per dimension (the
 * layout {@link io.djlint4.kernels.KeyScores} reads) at every step, not only for a prompt. The
 * capacity doubles when a step needs more room, so appending a token writes only that token's
 * entries instead of copying the whole cache (what {@link KvCache}, DJL's exchange format, has to
 * do). Keys are the values {@link KvCache} stores (after rope, the per-head rotation and the cache
 * quantizer). One cache belongs to one sequence; it is not thread-safe.
 */
public final class SequenceKvCache {

    private static final int INITIAL_CAPACITY = 16;

    private final int kvHeads;
    private final int headDim;
    private final float[][] keys;
    private final float[][] values;
    private int capacity;
    private int length;

    /**
     * Creates an empty cache.
     *
     * @param layers the number of layers
     * @param kvHeads the number of key/value heads
     * @param headDim the head dimension
     */
    public SequenceKvCache(int layers, int kvHeads, int headDim) {
        if (layers <= 0 || kvHeads <= 0 || headDim <= 0) {
            throw new IllegalArgumentException(
                    "layers, kvHeads and headDim must be positive, got " + layers + ", " + kvHeads + ", " + headDim);
        }
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.keys = new float[layers][0];
        this.values = new float[layers][0];
    }

    /**
     * Creates an empty cache shaped for a model.
     *
     * @param config the model configuration
     * @return the cache
     */
    public static SequenceKvCache forModel(ModelConfig config) {
        return new SequenceKvCache(config.numLayers(), config.numKvHeads(), config.headDim());
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
     * Returns the number of positions the arrays hold room for.
     *
     * @return the capacity, at least {@link #length()}
     */
    public int capacity() {
        return capacity;
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
     * Returns the number of key/value heads.
     *
     * @return the head count
     */
    public int kvHeads() {
        return kvHeads;
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
     * Copies one layer's cached keys out, laid out {@code [kvHeads, length, headDim]} as one
     * sequence of {@link KvCache}.
     *
     * @param layer the layer
     * @return the keys
     */
    public float[] copyKeys(int layer) {
        float[] data = keys[layer];
        float[] out = new float[kvHeads * length * headDim];
        for (int h = 0; h < kvHeads; h++) {
            for (int i = 0; i < headDim; i++) {
                int src = (h * headDim + i) * capacity;
                for (int t = 0; t < length; t++) {
                    out[(h * length + t) * headDim + i] = data[src + t];
                }
            }
        }
        return out;
    }

    /**
     * Copies one layer's cached values out, laid out as {@link #copyKeys}.
     *
     * @param layer the layer
     * @return the values
     */
    public float[] copyValues(int layer) {
        float[] data = values[layer];
        float[] out = new float[kvHeads * length * headDim];
        for (int h = 0; h < kvHeads; h++) {
            System.arraycopy(data, h * capacity * headDim, out, h * length * headDim, length * headDim);
        }
        return out;
    }

    /** Makes room for {@code total} positions, doubling the capacity as often as needed. */
    void reserve(int total) {
        if (total <= capacity) {
            return;
        }
        int grown = Math.max(capacity, INITIAL_CAPACITY);
        while (grown < total) {
            grown = Math.multiplyExact(grown, 2);
        }
        long size = (long) kvHeads * grown * headDim;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "a cache of " + total + " positions needs " + size + " values per layer, more than a Java array holds");
        }
        for (int l = 0; l < keys.length; l++) {
            // keys: one row of positions per (head, dimension); values: one run per head
            keys[l] = regrow(keys[l], kvHeads * headDim, capacity, length, grown);
            values[l] = regrow(values[l], kvHeads, capacity * headDim, length * headDim, grown * headDim);
        }
        capacity = grown;
    }

    private static float[] regrow(float[] old, int rows, int oldStride, int used, int newStride) {
        float[] data = new float[rows * newStride];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(old, r * oldStride, data, r * newStride, used);
        }
        return data;
    }

    /**
     * Writes one position's key and value for every head of a layer.
     *
     * @param layer the layer
     * @param position the position, below the reserved capacity
     * @param k the key rows {@code [kvHeads, headDim]} from {@code kOff}
     * @param v the value rows, laid out as {@code k}, from {@code vOff}
     */
    void write(int layer, int position, float[] k, int kOff, float[] v, int vOff) {
        float[] keyData = keys[layer];
        float[] valueData = values[layer];
        for (int h = 0; h < kvHeads; h++) {
            int row = (h * headDim) * capacity + position;
            for (int i = 0; i < headDim; i++) {
                keyData[row + i * capacity] = k[kOff + h * headDim + i];
            }
            System.arraycopy(v, vOff + h * headDim, valueData, (h * capacity + position) * headDim, headDim);
        }
    }

    /** Layer {@code layer}'s keys, {@code [kvHeads, headDim, capacity]} (the live array). */
    float[] keys(int layer) {
        return keys[layer];
    }

    /** Layer {@code layer}'s values, {@code [kvHeads, capacity, headDim]} (the live array). */
    float[] values(int layer) {
        return values[layer];
    }

    /** Commits {@code n} positions written past the length by every layer. */
    void advance(int n) {
        if (length + n > capacity) {
            throw new IllegalStateException("advance past the reserved capacity");
        }
        length += n;
    }
}
