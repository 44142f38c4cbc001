package io.djlint4.quant.weight;

/**
 * Which way the weights sharing one grid run (§6.2 of ALGORITHMS.md). A weight matrix is {@code
 * [N, K]}: N output channels (rows), K input channels (columns).
 */
public enum GroupLayout {
    /** Per-OC: consecutive columns of one row share a grid (the usual layout, scales {@code [N, K/g]}). */
    PER_OUTPUT_CHANNEL("per-OC"),
    /** Per-IC: consecutive rows of one column share a grid, isolating each input channel (scales {@code [N/g, K]}). */
    PER_INPUT_CHANNEL("per-IC");

    private final String label;

    GroupLayout(String label) {
        this.label = label;
    }

    /**
     * Returns the short name used in the papers and in reports.
     *
     * @return {@code per-OC} or {@code per-IC}
     */
    public String label() {
        return label;
    }
}
