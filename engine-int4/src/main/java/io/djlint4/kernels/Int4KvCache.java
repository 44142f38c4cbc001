package io.djlint4.kernels;

/**
 * A 4-bit KV cache for one attention layer (ALGORITHMS.md §3.7): symmetric INT4 codes, two per
 * byte (element {@code 2i} in the low nibble, QuaRot layout), keys quantized per (token, KV head)
 * over the head dimension, values per token over all KV heads or per group of {@code valueGroup}
 * channels. Tokens are appended in place into preallocated blocks; attention reads them back as
 * scores {@code q·k} and as weighted value sums without materializing float copies.
 */
public final class Int4KvCache {

    private final int kvHeads;
    private final int headDim;
    private final int width;
    private final int capacity;
    private final int valueGroup;
    private final int valueGroups;
    private final byte[] keys;
    private final float[] keyScales;
    private final byte[] values;
    private final float[] valueScales;
    private int size;

    /**
     * Creates a cache whose values are quantized with one scale per token.
     *
     * @param kvHeads key/value heads
     * @param headDim the head dimension, even
     * @param capacity tokens the cache can hold
     */
    public Int4KvCache(int kvHeads, int headDim, int capacity) {
        this(kvHeads, headDim, capacity, kvHeads * headDim);
    }

    /**
     * Creates a cache.
     *
     * @param kvHeads key/value heads
     * @param headDim the head dimension, even
     * @param capacity tokens the cache can hold
     * @param valueGroup value channels per scale; must divide {@code kvHeads·headDim} and be even
     */
    public Int4KvCache(int kvHeads, int headDim, int capacity, int valueGroup) {
        int w = kvHeads * headDim;
        if (kvHeads < 1 || headDim < 2 || headDim % 2 != 0 || capacity < 1) {
            throw new IllegalArgumentException("bad KV cache shape");
        }
        if (valueGroup < 2 || valueGroup % 2 != 0 || w % valueGroup != 0) {
            throw new IllegalArgumentException("value group " + valueGroup + " must be even and divide " + w);
        }
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.width = w;
        this.capacity = capacity;
        this.valueGroup = valueGroup;
        this.valueGroups = w / valueGroup;
        this.keys = new byte[capacity * w / 2];
        this.keyScales = new float[capacity * kvHeads];
        this.values = new byte[capacity * w / 2];
        this.valueScales = new float[capacity * valueGroups];
    }

    /**
     * Quantizes and appends one token's keys and values ({@code kvHeads·headDim} floats each, head
     * after head).
     *
     * @param k the keys
     * @param kOff offset of the keys
     * @param v the values
     * @param vOff offset of the values
     * @return the token's position
     * @throws IllegalStateException when the cache is full
     */
    public int append(float[] k, int kOff, float[] v, int vOff) {
        if (size == capacity) {
            throw new IllegalStateException("KV cache full at " + capacity + " tokens");
        }
        int pos = size;
        int base = pos * width;
        for (int h = 0; h < kvHeads; h++) {
            keyScales[pos * kvHeads + h] = quantize(k, kOff + h * headDim, headDim, keys, base + h * headDim);
        }
        for (int g = 0; g < valueGroups; g++) {
            valueScales[pos * valueGroups + g] =
                    quantize(v, vOff + g * valueGroup, valueGroup, values, base + g * valueGroup);
        }
        size++;
        return pos;
    }

    /** Symmetric INT4 of {@code n} values into nibbles starting at element {@code dst}; returns s. */
    private static float quantize(float[] x, int off, int n, byte[] packed, int dst) {
        float amax = 0f;
        for (int i = 0; i < n; i++) {
            amax = Math.max(amax, Math.abs(x[off + i]));
        }
        float s = amax == 0f ? 1f : amax / 7f;
        for (int i = 0; i < n; i += 2) {
            int lo = code(x[off + i], s);
            int hi = code(x[off + i + 1], s);
            packed[(dst + i) / 2] = (byte) ((lo & 0xF) | (hi << 4));
        }
        return s;
    }

    private static int code(float x, float s) {
        return (int) Math.rint(Math.max(-8f, Math.min(7f, x / s)));
    }

    private static int nibble(byte[] packed, int element) {
        int b = packed[element >> 1];
        int n = (element & 1) == 0 ? b & 0xF : (b >> 4) & 0xF;
        return (n ^ 8) - 8;
    }

    /**
     * Returns the number of tokens held.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * Returns the number of tokens the cache can hold.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Drops tokens from the end (e.g. to reuse a prompt prefix).
     *
     * @param newSize the number of tokens to keep, at most the size
     */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("cannot truncate " + size + " tokens to " + newSize);
        }
        size = newSize;
    }

    /**
     * Returns one key code.
     *
     * @param pos the token
     * @param head the KV head
     * @param i the channel within the head
     * @return the code, {@code -8..7}
     */
    public int keyCode(int pos, int head, int i) {
        return nibble(keys, pos * width + head * headDim + i);
    }

    /**
     * Returns the scale of one (token, head) key group.
     *
     * @param pos the token
     * @param head the KV head
     * @return the scale
     */
    public float keyScale(int pos, int head) {
        return keyScales[pos * kvHeads + head];
    }

    /**
     * Decodes one token's key for one head.
     *
     * @param pos the token
     * @param head the KV head
     * @param out receives {@code headDim} floats
     * @param off where to write
     */
    public void readKey(int pos, int head, float[] out, int off) {
        float s = keyScale(pos, head);
        for (int i = 0; i < headDim; i++) {
            out[off + i] = keyCode(pos, head, i) * s;
        }
    }

    /**
     * Decodes one token's value for one head.
     *
     * @param pos the token
     * @param head the KV head
     * @param out receives {@code headDim} floats
     * @param off where to write
     */
    public void readValue(int pos, int head, float[] out, int off) {
        int base = pos * width + head * headDim;
        for (int i = 0; i < headDim; i++) {
            int c = base + i;
            out[off + i] = nibble(values, c) * valueScales[pos * valueGroups + (c - pos * width) / valueGroup];
        }
    }

    /**
     * Computes attention scores {@code scores[sOff + p − from] = q · k[p, head]} for positions
     * {@code from ≤ p < to}, from the integer key codes times their group scale.
     *
     * @param head the KV head
     * @param q the query ({@code headDim} floats)
     * @param qOff offset of the query
     * @param from the first position
     * @param to one past the last position, at most the size
     * @param scores receives {@code to − from} scores
     * @param sOff where to write
     */
    public void keyScores(int head, float[] q, int qOff, int from, int to, float[] scores, int sOff) {
        checkRange(from, to);
        for (int p = from; p < to; p++) {
            int base = p * width + head * headDim;
            float dot = 0f;
            for (int i = 0; i < headDim; i += 2) {
                int b = keys[(base + i) >> 1];
                dot += q[qOff + i] * (((b & 0xF) ^ 8) - 8) + q[qOff + i + 1] * ((((b >> 4) & 0xF) ^ 8) - 8);
            }
            scores[sOff + p - from] = dot * keyScales[p * kvHeads + head];
        }
    }

    /**
     * Adds the weighted values {@code out[off + i] += Σ_p weights[wOff + p − from]·v[p, head, i]}.
     *
     * @param head the KV head
     * @param weights attention weights for positions {@code from .. to − 1}
     * @param wOff offset of the first weight
     * @param from the first position
     * @param to one past the last position, at most the size
     * @param out the accumulator ({@code headDim} floats)
     * @param off offset of the accumulator
     */
    public void accumulateValues(int head, float[] weights, int wOff, int from, int to, float[] out, int off) {
        checkRange(from, to);
        for (int p = from; p < to; p++) {
            int base = p * width + head * headDim;
            for (int i = 0; i < headDim; i++) {
                int group = (head * headDim + i) / valueGroup;
                float f = weights[wOff + p - from] * valueScales[p * valueGroups + group];
                out[off + i] += f * nibble(values, base + i);
            }
        }
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to > size || from > to) {
            throw new IllegalArgumentException("positions " + from + ".." + to + " outside 0.." + size);
        }
    }
}
