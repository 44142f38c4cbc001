package io.djlint4.quant;

/** The weight and activation number formats a recipe selects. */
public enum BitWidths {
    /** No quantization: full-precision weights and activations. */
    FP32("fp32", 32, 32, false),
    /** 4-bit integer weights, full-precision activations. */
    W4A16("w4a16", 4, 16, false),
    /** 4-bit integer weights, 8-bit integer activations. */
    W4A8("w4a8", 4, 8, false),
    /** 4-bit integer weights and activations. */
    W4A4("w4a4", 4, 4, false),
    /** 3-bit integer weights, full-precision activations. */
    W3A16("w3a16", 3, 16, false),
    /** 3-bit integer weights and activations. */
    W3A3("w3a3", 3, 3, false),
    /** 4-bit floating-point (LLM-FP4) weights and activations. */
    FP4("fp4", 4, 4, true);

    private final String token;
    private final int weightBits;
    private final int activationBits;
    private final boolean floatingPoint;

    BitWidths(String token, int weightBits, int activationBits, boolean floatingPoint) {
        this.token = token;
        this.weightBits = weightBits;
        this.activationBits = activationBits;
        this.floatingPoint = floatingPoint;
    }

    /**
     * Returns the recipe token.
     *
     * @return e.g. {@code w4a4}
     */
    public String token() {
        return token;
    }

    /**
     * Returns the weight bit width.
     *
     * @return 3, 4 or 32
     */
    public int weightBits() {
        return weightBits;
    }

    /**
     * Returns the activation bit width.
     *
     * @return 3, 4, 8, 16 or 32
     */
    public int activationBits() {
        return activationBits;
    }

    /**
     * Returns whether the formats are floating point (LLM-FP4) rather than integer.
     *
     * @return {@code true} for {@code fp4}
     */
    public boolean floatingPoint() {
        return floatingPoint;
    }

    /**
     * Returns whether weights are quantized.
     *
     * @return {@code false} only for {@code fp32}
     */
    public boolean quantizesWeights() {
        return weightBits < 16;
    }

    /**
     * Returns whether linear-layer inputs are quantized.
     *
     * @return {@code true} for activation widths below 16 bits
     */
    public boolean quantizesActivations() {
        return activationBits < 16;
    }
}
