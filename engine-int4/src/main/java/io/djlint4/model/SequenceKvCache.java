package io.djlint4.model;

/**
 * The keys and values of one sequence for every layer, grown in place: each layer's array is laid
 * out {@code [kvHeads, capacity, headDim]} and its capacity doubles when a step needs more room,
 * so appending a token writes only that token's rows instead of copying the whole cache (what
 * {@link KvCache}, DJL's exchange format, has to do). Keys are stored as {@link KvCache} stores
 * them (after rope, the per-head rotation and the cache quantizer). One cache belongs to one
 * sequence; it is not thread-safe.
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
        return compact(keys[layer]);
    }

    /**
     * Copies one layer's cached values out, laid out as {@link #copyKeys}.
     *
     * @param layer the layer
     * @return the values
     */
    public float[] copyValues(int layer) {
        return compact(values[layer]);
    }

    private float[] compact(float[] data) {
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
            keys[l] = regrow(keys[l], grown);
            values[l] = regrow(values[l], grown);
        }
        capacity = grown;
    }

    private float[] regrow(float[] old, int grown) {
        float[] data = new float[kvHeads * grown * headDim];
        for (int h = 0; h < kvHeads; h++) {
            System.arraycopy(old, h * capacity * headDim, data, h * grown * headDim, length * headDim);
        }
        return data;
    }

    /** Layer {@code layer}'s keys, {@code [kvHeads, capacity, headDim]} (the live array). */
    float[] keys(int layer) {
        return keys[layer];
    }

    /** Layer {@code layer}'s values, laid out as {@link #keys(int)}. */
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
