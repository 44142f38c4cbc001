package io.djlint4.quant;

/** The activation-side method of a recipe: how outliers are tamed before activations are quantized. */
public enum ActivationMethod {
    /** Plain per-token round-to-nearest. */
    NONE("", "per-token RTN", false),
    /** Runtime Smooth (RRS paper): each channel divided by its own per-call maximum. */
    RS("rs", "Runtime Smooth (RRS)", true),
    /** QuaRot/SpinQuant rotation: randomized Hadamard R1, R2 per head, online R3/R4. */
    ROT("rot", "QuaRot/SpinQuant rotation", false),
    /** Rotated Runtime Smooth: {@code rot}, then channel maxima taken over sorted groups of 128. */
    RRS("rrs", "Rotated Runtime Smooth (RRS)", true),
    /** DFRot: R1 refined by Procrustes updates on a massive-token-weighted loss. */
    DFROT("dfrot", "DFRot", false),
    /** RPTQ: channels reordered into k-means clusters with per-cluster parameters. */
    RPTQ("rptq", "RPTQ", true);

    private final String token;
    private final String paper;
    private final boolean needsQuantizedActivations;

    ActivationMethod(String token, String paper, boolean needsQuantizedActivations) {
        this.token = token;
        this.paper = paper;
        this.needsQuantizedActivations = needsQuantizedActivations;
    }

    /**
     * Returns the recipe token (empty for {@link #NONE}).
     *
     * @return the token
     */
    public String token() {
        return token;
    }

    /**
     * Returns the paper or technique the token implements.
     *
     * @return a short description
     */
    public String paper() {
        return paper;
    }

    /**
     * Returns whether the method only makes sense when activations are quantized.
     *
     * @return {@code true} for smoothing and reordering methods
     */
    public boolean needsQuantizedActivations() {
        return needsQuantizedActivations;
    }

    /**
     * Returns whether the method rotates the residual stream.
     *
     * @return {@code true} for {@code rot}, {@code rrs} and {@code dfrot}
     */
    public boolean rotates() {
        return this == ROT || this == RRS || this == DFROT;
    }

    /**
     * Returns whether the method applies Runtime Smooth.
     *
     * @return {@code true} for {@code rs} and {@code rrs}
     */
    public boolean smooths() {
        return this == RS || this == RRS;
    }
}
