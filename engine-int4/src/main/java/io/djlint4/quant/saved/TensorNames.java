package io.djlint4.quant.saved;

import io.djlint4.model.LinearKind;

/**
 * The tensor names of a saved quantized model: Hugging Face module paths, with {@code .codes}
 * (packed nibbles, U8), {@code .scales} (F32) and {@code .zeros} (I8) for a quantized projection
 * and {@code .weight} (F32) for everything kept in full precision.
 */
final class TensorNames {

    static final String EMBEDDING = "model.embed_tokens.weight";
    static final String FINAL_NORM = "model.norm.weight";
    static final String LM_HEAD = "lm_head.weight";
    static final String ROPE_INVERSE_FREQUENCIES = "model.rotary_emb.inv_freq";

    static final String WEIGHT = ".weight";
    static final String BIAS = ".bias";
    static final String CODES = ".codes";
    static final String SCALES = ".scales";
    static final String ZEROS = ".zeros";

    private TensorNames() {}

    static String attnNorm(int layer) {
        return layer(layer) + "input_layernorm.weight";
    }

    static String ffnNorm(int layer) {
        return layer(layer) + "post_attention_layernorm.weight";
    }

    static String qNorm(int layer) {
        return layer(layer) + "self_attn.q_norm.weight";
    }

    static String kNorm(int layer) {
        return layer(layer) + "self_attn.k_norm.weight";
    }

    /**
     * Returns the module path of a projection, to which the suffixes are appended.
     *
     * @param layer the decoder layer
     * @param kind the projection
     * @return e.g. {@code model.layers.0.self_attn.q_proj}
     */
    static String linear(int layer, LinearKind kind) {
        String block = kind.ordinal() <= LinearKind.O.ordinal() ? "self_attn." : "mlp.";
        return layer(layer) + block + kind.moduleName();
    }

    private static String layer(int layer) {
        return "model.layers." + layer + ".";
    }
}
