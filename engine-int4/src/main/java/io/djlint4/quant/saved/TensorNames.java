package io.djlint4.quant.saved;

import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;

/**
 * The tensor names of a saved quantized model: Hugging Face module paths, with {@code .codes}
 * (packed nibbles, U8), {@code .scales} (F32) and {@code .zeros} (I8) for a quantized projection
 * and {@code .weight} (F32) for everything kept in full precision. An LLM-FP4 layer (the
 * projections and {@value #LM_HEAD_MODULE}) has {@code .codes} (packed FP4 nibbles), {@code
 * .row_biases} (F64), {@code .input_shifts} (U8) and {@code .input_bias} (F64). An RPTQ
 * projection has {@code .codes} (packed, or I8 above 4 bits), {@code .scales} (F32) and {@code
 * .zeros} (I16) per row and input cluster; its reorders and static grids are under {@code
 * model.layers.N.rptq.}{@code qkv|values|o|gate_up|down|keys} with {@code .perm}, {@code .counts},
 * {@code .grid_scales} and {@code .grid_zeros}.
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
    static final String STEP_CODES = ".step_codes";
    static final String MIN_CODES = ".min_codes";
    static final String STEP_MAX = ".step_max";
    static final String MIN_MAX = ".min_max";

    static final String LM_HEAD_MODULE = "lm_head";
    static final String ROW_BIASES = ".row_biases";
    static final String INPUT_SHIFTS = ".input_shifts";
    static final String INPUT_BIAS = ".input_bias";

    static final String PERM = ".perm";
    static final String COUNTS = ".counts";
    static final String GRID_SCALES = ".grid_scales";
    static final String GRID_ZEROS = ".grid_zeros";

    /** The reorder R3 as it permutes the value rows, whose clusters the cache's value grids follow. */
    static final String VALUES = "values";

    /** The key reorder of an RPTQ cache, R2. */
    static final String KEYS = "keys";

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

    /**
     * Returns the prefix of one of a layer's RPTQ reorders.
     *
     * @param layer the decoder layer
     * @param part {@link #VALUES}, {@link #KEYS} or a slot name ({@link #slot})
     * @return e.g. {@code model.layers.0.rptq.gate_up}
     */
    static String rptq(int layer, String part) {
        return layer(layer) + "rptq." + part;
    }

    /**
     * Returns the name of a linear input slot in RPTQ tensor names.
     *
     * @param slot the slot
     * @return {@code qkv}, {@code o}, {@code gate_up} or {@code down}
     */
    static String slot(LinearSlot slot) {
        return slot.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String layer(int layer) {
        return "model.layers." + layer + ".";
    }
}
