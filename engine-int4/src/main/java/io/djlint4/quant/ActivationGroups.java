package io.djlint4.quant;

/**
 * How many consecutive channels of a token share one activation grid: the whole token (the
 * papers' per-token quantization, no token), or {@code ag32}, {@code ag64}, {@code ag128} channels,
 * each group with its own scale (and zero point with {@code asym}), as QuaRot quantizes its KV
 * groups and as block formats (ggml's q8_0, MX) quantize activations. A row whose length is no
 * multiple of the size ends in a shorter group.
 */
public enum ActivationGroups {
    /** One grid per token. */
    PER_TOKEN("", 0),
    /** One grid per 32 channels of a token. */
    AG32("ag32", 32),
    /** One grid per 64 channels of a token. */
    AG64("ag64", 64),
    /** One grid per 128 channels of a token. */
    AG128("ag128", 128);

    private final String token;
    private final int size;

    ActivationGroups(String token, int size) {
        this.token = token;
        this.size = size;
    }

    /**
     * Returns the recipe token.
     *
     * @return e.g. {@code ag32}; empty for {@link #PER_TOKEN}
     */
    public String token() {
        return token;
    }

    /**
     * Returns the channels per grid.
     *
     * @return 32, 64 or 128, or 0 for one grid per token
     */
    public int size() {
        return size;
    }

    /**
     * Returns whether tokens are split into groups.
     *
     * @return {@code false} for {@link #PER_TOKEN}
     */
    public boolean grouped() {
        return this != PER_TOKEN;
    }

    static ActivationGroups of(String token) {
        for (ActivationGroups g : values()) {
            if (g.grouped() && g.token.equals(token)) {
                return g;
            }
        }
        return null;
    }
}
