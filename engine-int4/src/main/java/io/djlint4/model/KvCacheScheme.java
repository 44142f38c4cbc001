package io.djlint4.model;

/**
 * How a decoder layer treats queries, keys and values between rope and the cache: an optional
 * per-head rotation of queries and keys (R3 of the rotation methods, which leaves every score
 * {@code q·k} unchanged in full precision and spreads key outliers before they are quantized), and
 * an optional quantizer of the keys and values written to the cache.
 *
 * @param headRotation applied to every head of the queries and keys after rope, rows of {@code
 *     headDim}; must be orthogonal; {@code null} for none
 * @param quantizer rounds the keys and values written to the cache; {@code null} for a full
 *     precision cache
 */
public record KvCacheScheme(RowTransform headRotation, KvQuantizer quantizer) {

    /** Neither rotation nor quantization: the plain decoder. */
    public static final KvCacheScheme FULL_PRECISION = new KvCacheScheme(null, null);
}
