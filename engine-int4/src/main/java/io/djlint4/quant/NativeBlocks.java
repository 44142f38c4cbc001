package io.djlint4.quant;

/**
 * Whether a recipe runs a GGUF file's own quantized weight blocks ({@code native}) instead of
 * quantizing float weights, and what the products multiply them by.
 */
public enum NativeBlocks {
    /** Weights come from float values, quantized (or not) by the rest of the recipe. */
    OFF(""),
    /** The file's blocks times float inputs: only the file's own rounding. */
    FLOAT_INPUTS("native"),
    /** The file's blocks times inputs rounded to 8 bits per block of 32, as llama.cpp runs them. */
    Q8_INPUTS("native+a8");

    private final String label;

    NativeBlocks(String label) {
        this.label = label;
    }

    /**
     * Returns the recipe text of this choice.
     *
     * @return {@code native}, {@code native+a8}, or empty for {@link #OFF}
     */
    public String label() {
        return label;
    }
}
