package io.djlint4.quant;

/**
 * The weight group size a recipe asks for: {@code g32}, {@code g64}, {@code g128} consecutive
 * input channels of a row per grid, {@code pc} one grid per output channel, or no token, which
 * keeps each bit width's default (weight-only recipes: groups of {@link
 * RecipeSettings#weightGroupSize}; W·A recipes: one grid per output channel). The group size never
 * changes whether a grid is symmetric: weight-only grids stay asymmetric, W·A grids symmetric.
 */
public enum WeightGroups {
    /** No group token: the bit width's default. */
    DEFAULT("", -1),
    /** Groups of 32 input channels. */
    G32("g32", 32),
    /** Groups of 64 input channels. */
    G64("g64", 64),
    /** Groups of 128 input channels. */
    G128("g128", 128),
    /** One grid per output channel (a whole row). */
    PER_CHANNEL("pc", 0);

    private final String token;
    private final int size;

    WeightGroups(String token, int size) {
        this.token = token;
        this.size = size;
    }

    /**
     * Returns the recipe token.
     *
     * @return e.g. {@code g32}; empty for {@link #DEFAULT}
     */
    public String token() {
        return token;
    }

    /**
     * Returns whether the recipe named a group size.
     *
     * @return {@code false} for {@link #DEFAULT}
     */
    public boolean explicit() {
        return this != DEFAULT;
    }

    /**
     * Returns the weights per grid a recipe of these bit widths uses.
     *
     * @param bits the recipe's bit widths
     * @param settings the constants, for the weight-only default
     * @return input channels per grid, 0 for one grid per output channel
     */
    public int size(BitWidths bits, RecipeSettings settings) {
        if (this != DEFAULT) {
            return size;
        }
        return bits.quantizesActivations() ? 0 : settings.weightGroupSize();
    }

    /**
     * Finds the group setting a token names.
     *
     * @param token a recipe token, lower case
     * @return the group setting, or {@code null} when the token names none
     */
    static WeightGroups of(String token) {
        for (WeightGroups g : values()) {
            if (g.explicit() && g.token.equals(token)) {
                return g;
            }
        }
        return null;
    }
}
