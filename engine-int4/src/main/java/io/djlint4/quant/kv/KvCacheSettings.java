package io.djlint4.quant.kv;

/**
 * The grids of the 4-bit KV cache. Keys always have one grid per (token, KV head), over the head
 * dimension ({@code k_groupsize 128 = hd} in the rotation papers' scripts).
 *
 * @param valueGroups how value grids are laid out
 * @param symmetric whether grids are symmetric (RRS/QuaRot scripts) rather than asymmetric with a
 *     zero point (DFRot/SpinQuant scripts)
 * @param clip the range multiplier in (0, 1]; 1.0 in every script
 */
public record KvCacheSettings(ValueGroups valueGroups, boolean symmetric, float clip) {

    /** Per (token, head) value grids, symmetric, no clipping: the DFRot/SpinQuant grouping with RRS's grid. */
    public static final KvCacheSettings DEFAULT = new KvCacheSettings(ValueGroups.PER_HEAD, true, 1f);

    /** The cache's bit width: the {@code kv4} recipe token. */
    public static final int BITS = 4;

    /** Checks the clip ratio. */
    public KvCacheSettings {
        if (valueGroups == null) {
            throw new IllegalArgumentException("value grouping must be given");
        }
        if (!(clip > 0 && clip <= 1)) {
            throw new IllegalArgumentException("KV clip ratio must be in (0, 1], got " + clip);
        }
    }

    /** The layout of value grids. */
    public enum ValueGroups {
        /** One grid per (token, KV head), over the head dimension ({@code v_groupsize = hd}). */
        PER_HEAD,
        /** One grid per token over all KV heads ({@code v_groupsize -1}, the RRS KV4 script). */
        PER_TOKEN
    }
}
