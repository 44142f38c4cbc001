package io.djlint4.quant;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed quantization recipe: {@code +}-joined tokens naming the bit widths ({@code fp32},
 * {@code w4a16}, {@code w4a8}, {@code w4a4}, {@code w3a16}, {@code w3a3}, {@code fp4}), at most one
 * weight group size ({@code g32}, {@code g64}, {@code g128}, {@code pc}; see {@link WeightGroups}),
 * at most one activation method ({@code rs}, {@code rot}, {@code rrs}, {@code dfrot}, {@code rptq}), the
 * weight quantizer ({@code gptq}; RTN with the clipping search when absent), the {@code adadim}
 * modifier, {@code kv4} for a 4-bit KV cache and {@code asym} for per-token activation codes with a
 * zero point (integer W·A widths; DFRot's and QuaRot's asymmetric activations), {@code wasym} for
 * asymmetric weight grids with GPTQ's act-order on W·A widths, {@code auto} for 8-bit inputs where
 * calibration finds 4 bits hurt most (at most {@link io.djlint4.quant.calib.ActivationPlanner#WIDE_SHARE}
 * of the projections; {@link ActivationPlan}) or, on {@code w4a16+dq}, for each projection's group
 * size under a bit budget ({@link WeightPlan}), {@code dq} for weight grids with a float minimum whose
 * steps and minimums are coded in 6 and 8 bits per group ({@link
 * io.djlint4.quant.weight.DoubleQuantizedWeights}; with {@code gptq}, GPTQ chooses the codes on
 * them), {@code ag32}, {@code ag64} or {@code ag128} for a grid per group of a token's channels
 * instead of one per token ({@link ActivationGroups}). Token order does not matter. {@code native}
 * stands alone (with {@code a8} for 8-bit inputs): a GGUF file's own
 * quantized blocks, run as they are.
 *
 * @param bits the number formats
 * @param groups the weight group size, {@link WeightGroups#DEFAULT} for the bit width's default
 * @param method the activation-side method
 * @param gptq whether weights are quantized with GPTQ rather than RTN
 * @param adaDim whether weight groups are chosen per layer along input or output channels
 * @param kv4 whether keys and values are cached in 4 bits
 * @param nativeBlocks whether the weights are a GGUF file's own blocks, and on what inputs
 * @param asymmetricActivations whether linear inputs are quantized per token with a zero point
 * @param asymmetricWeights whether a W·A recipe's weights get asymmetric grids with a zero point
 *     and GPTQ's act-order, as weight-only recipes have ({@code wasym})
 * @param planned whether calibration chooses each linear input's activation width, or on weight-only
 *     widths each projection's group size ({@code auto})
 * @param doubleQuantized whether weights get grids with a float minimum, their steps and minimums
 *     quantized per row ({@code dq})
 * @param activationGroups how many of a token's channels share one activation grid
 */
public record QuantRecipe(
        BitWidths bits,
        WeightGroups groups,
        ActivationMethod method,
        boolean gptq,
        boolean adaDim,
        boolean kv4,
        NativeBlocks nativeBlocks,
        boolean asymmetricActivations,
        boolean asymmetricWeights,
        boolean planned,
        boolean doubleQuantized,
        ActivationGroups activationGroups) {

    /** The recipe that leaves the model in full precision. */
    public static final QuantRecipe FP32 = new QuantRecipe(BitWidths.FP32, ActivationMethod.NONE, false, false, false);

    /** A GGUF file's quantized blocks as they are, times float inputs. */
    public static final QuantRecipe NATIVE = new QuantRecipe(
            BitWidths.FP32, WeightGroups.DEFAULT, ActivationMethod.NONE, false, false, false, NativeBlocks.FLOAT_INPUTS);

    private static final String NATIVE_TOKEN = "native";
    private static final String A8 = "a8";

    private static final String GPTQ = "gptq";
    private static final String ADADIM = "adadim";
    private static final String KV4 = "kv4";
    private static final String ASYM = "asym";
    private static final String WASYM = "wasym";
    private static final String AUTO = "auto";
    private static final String DQ = "dq";

    /**
     * Creates a recipe that quantizes float weights (or leaves them in full precision) with the
     * bit width's default weight groups.
     *
     * @param bits the number formats
     * @param method the activation-side method
     * @param gptq whether weights are quantized with GPTQ rather than RTN
     * @param adaDim whether weight groups are chosen per layer along input or output channels
     * @param kv4 whether keys and values are cached in 4 bits
     */
    public QuantRecipe(BitWidths bits, ActivationMethod method, boolean gptq, boolean adaDim, boolean kv4) {
        this(bits, WeightGroups.DEFAULT, method, gptq, adaDim, kv4, NativeBlocks.OFF);
    }

    /**
     * Creates a recipe with symmetric per-token activations, the bit width's own weight symmetry
     * and one activation width for every linear input.
     *
     * @param bits the number formats
     * @param groups the weight group size
     * @param method the activation-side method
     * @param gptq whether weights are quantized with GPTQ rather than RTN
     * @param adaDim whether weight groups are chosen per layer along input or output channels
     * @param kv4 whether keys and values are cached in 4 bits
     * @param nativeBlocks whether the weights are a GGUF file's own blocks, and on what inputs
     */
    public QuantRecipe(BitWidths bits, WeightGroups groups, ActivationMethod method, boolean gptq, boolean adaDim,
            boolean kv4, NativeBlocks nativeBlocks) {
        this(bits, groups, method, gptq, adaDim, kv4, nativeBlocks, false, false, false, false,
                ActivationGroups.PER_TOKEN);
    }

    /** Checks that the combination is meaningful. */
    public QuantRecipe {
        if (activationGroups == null) {
            throw new IllegalArgumentException("activation groups must be given (PER_TOKEN for one grid per token)");
        }
        String name = describe(bits, groups, method, gptq, adaDim, kv4, nativeBlocks, asymmetricActivations,
                asymmetricWeights, planned, doubleQuantized, activationGroups);
        check(name, bits, groups, method, gptq, adaDim, kv4, nativeBlocks);
        checkAsym(name, bits, method, nativeBlocks, asymmetricActivations);
        checkWasym(name, bits, method, asymmetricWeights);
        checkAuto(name, bits, method, gptq, adaDim, doubleQuantized, planned);
        checkActivationGroups(name, bits, method, nativeBlocks, activationGroups);
        checkDq(name, bits, groups, method, adaDim, asymmetricActivations, asymmetricWeights, doubleQuantized,
                activationGroups);
    }

    /**
     * Refuses activation groups where no integer per-token quantizer runs, or where Runtime Smooth
     * (one scale per token after smoothing) or RPTQ (per-cluster grids) set the activation grids.
     */
    private static void checkActivationGroups(
            String name, BitWidths bits, ActivationMethod method, NativeBlocks nativeBlocks, ActivationGroups ag) {
        if (ag.grouped() && nativeBlocks != NativeBlocks.OFF) {
            throw nativeCombination(name);
        }
        if (ag.grouped() && (bits.floatingPoint() || !bits.quantizesActivations() || method.smooths()
                || method == ActivationMethod.RPTQ)) {
            throw new IllegalArgumentException("recipe '" + name + "': '" + ag.token() + "' gives each group of "
                    + ag.size() + " channels of a token its own grid, which needs integer activation widths (w4a8,"
                    + " w4a4, w3a3) without 'rs', 'rrs' or 'rptq', whose grids are their own");
        }
    }

    /**
     * Refuses {@code dq} where its grids do not run: on integer weight widths only, without AdaDim
     * (its per-IC integer grids); with inputs quantized per token only symmetric,
     * unsmoothed ones and groups of at most 128, which the integer kernels sum exactly around a
     * float zero point (inputs with grids per channel group run on the float product and take any).
     */
    private static void checkDq(String name, BitWidths bits, WeightGroups groups, ActivationMethod method,
            boolean adaDim, boolean asym, boolean wasym, boolean dq, ActivationGroups ag) {
        if (!dq) {
            return;
        }
        if (!bits.quantizesWeights() || bits.floatingPoint() || method == ActivationMethod.RPTQ) {
            throw new IllegalArgumentException("recipe '" + name + "': '" + DQ + "' gives integer weight widths"
                    + " (w4a16, w4a8, w4a4, w3a16, w3a3) grids with a float minimum; 'fp4' and 'rptq' have their own");
        }
        if (adaDim) {
            throw new IllegalArgumentException("recipe '" + name + "': '" + DQ + "' fits grids along output channels;"
                    + " 'adadim' chooses integer grids along either, so drop one of them");
        }
        if (wasym) {
            throw new IllegalArgumentException("recipe '" + name + "': '" + DQ + "' grids have a float minimum"
                    + " already; drop '" + WASYM + "'");
        }
        if (bits.quantizesActivations() && !ag.grouped() && (asym || method.smooths()
                || groups == WeightGroups.DEFAULT || groups == WeightGroups.PER_CHANNEL)) {
            throw new IllegalArgumentException("recipe '" + name + "': '" + DQ + "' with quantized activations"
                    + " needs symmetric, unsmoothed inputs (no 'asym', 'rs', 'rrs') and weight groups g32, g64 or"
                    + " g128, which the integer kernels sum around a float zero point; or grids per group of"
                    + " channels of a token (ag32, ag64, ag128)");
        }
    }

    /**
     * Refuses {@code auto} where it has nothing to choose: on W·A widths it widens inputs, so it
     * needs integer activations narrower than 8 bits; on weight-only widths it chooses each
     * projection's group size of {@code w4a16+dq} grids under a bit budget, by round to nearest.
     */
    private static void checkAuto(String name, BitWidths bits, ActivationMethod method, boolean gptq, boolean adaDim,
            boolean dq, boolean auto) {
        if (!auto) {
            return;
        }
        if (bits == BitWidths.W4A16) {
            if (!dq || gptq || adaDim) {
                throw new IllegalArgumentException("recipe '" + name + "': '" + AUTO + "' on weight-only w4a16 chooses"
                        + " each projection's group size of '" + DQ + "' grids (round to nearest) under a budget"
                        + " of bits per weight: add '" + DQ + "', drop 'gptq' and 'adadim'");
            }
            return;
        }
        if (bits.floatingPoint() || !bits.quantizesActivations()
                || bits.activationBits() >= ActivationPlan.WIDE_BITS || method == ActivationMethod.RPTQ) {
            throw new IllegalArgumentException("recipe '" + name + "': '" + AUTO + "' gives the inputs where 4-bit"
                    + " activations hurt most 8 bits, so it needs narrower integer activations (w4a4, w3a3), or"
                    + " chooses w4a16+dq group sizes; 'fp4' and 'rptq' have their own activation grids");
        }
    }

    /** Refuses {@code wasym} where weights are not on the integer W·A grids it changes. */
    private static void checkWasym(String name, BitWidths bits, ActivationMethod method, boolean wasym) {
        if (wasym && (bits.floatingPoint() || !bits.quantizesActivations() || method == ActivationMethod.RPTQ)) {
            throw new IllegalArgumentException("recipe '" + name + "': '" + WASYM + "' gives W·A integer weights"
                    + " (w4a8, w4a4, w3a3) asymmetric grids; weight-only widths have them already, and 'fp4' and"
                    + " 'rptq' have their own");
        }
    }

    /** Refuses {@code asym} where no integer per-token activation quantizer runs. */
    private static void checkAsym(
            String name, BitWidths bits, ActivationMethod method, NativeBlocks nativeBlocks, boolean asym) {
        if (!asym) {
            return;
        }
        if (nativeBlocks != NativeBlocks.OFF) {
            throw nativeCombination(name);
        }
        if (bits.floatingPoint()) {
            throw new IllegalArgumentException("recipe '" + name + "': '" + ASYM + "' sets integer activation"
                    + " codes; 'fp4' (LLM-FP4) rounds activations to its own FP4 grid");
        }
        if (!bits.quantizesActivations()) {
            throw new IllegalArgumentException("recipe '" + name + "': '" + ASYM + "' quantizes activations with a"
                    + " zero point per token, which needs quantized activations (w4a8, w4a4, w3a3)");
        }
        if (method == ActivationMethod.RPTQ) {
            throw new IllegalArgumentException("recipe '" + name + "': 'rptq' quantizes activations with its own"
                    + " asymmetric per-cluster grids, so '" + ASYM + "' does not apply; drop it");
        }
    }

    /** The refusal of any token beside {@code native} but {@code a8}. */
    private static IllegalArgumentException nativeCombination(String name) {
        return new IllegalArgumentException("recipe '" + name + "': '" + NATIVE_TOKEN
                + "' runs a GGUF file's own blocks and combines with nothing but '" + A8 + "'");
    }

    /** Refuses a meaningless combination, naming the recipe as the user wrote it. */
    private static void check(String name, BitWidths bits, WeightGroups groups, ActivationMethod method, boolean gptq,
            boolean adaDim, boolean kv4, NativeBlocks nativeBlocks) {
        if (groups == null) {
            throw new IllegalArgumentException("recipe '" + name + "': weight groups must be given (DEFAULT for the"
                    + " bit width's own)");
        }
        if (nativeBlocks != NativeBlocks.OFF
                && (bits != BitWidths.FP32 || groups.explicit() || method != ActivationMethod.NONE || gptq || adaDim
                        || kv4)) {
            throw nativeCombination(name);
        }
        if (method.needsQuantizedActivations() && !bits.quantizesActivations()) {
            throw new IllegalArgumentException(
                    "recipe '" + name + "': '" + method.token()
                            + "' smooths or reorders activations, which needs quantized activations"
                            + " (w4a8, w4a4, w3a3)");
        }
        if (bits.floatingPoint() && (method != ActivationMethod.NONE || gptq || adaDim || groups.explicit())) {
            throw new IllegalArgumentException(
                    "recipe '" + name + "': 'fp4' (LLM-FP4) has its own weight and activation"
                            + " quantizers (one FP4 grid per output channel) and combines only with 'kv4'");
        }
        if (groups.explicit() && !bits.quantizesWeights()) {
            throw new IllegalArgumentException(
                    "recipe '" + name + "': '" + groups.token() + "' sets the weight group size; add a weight"
                            + " bit width such as w4a16");
        }
        if (groups.explicit() && method == ActivationMethod.RPTQ) {
            throw new IllegalArgumentException(
                    "recipe '" + name + "': 'rptq' quantizes weights with its own per-cluster grids, so it takes no"
                            + " weight group size ('" + groups.token() + "')");
        }
        if (groups == WeightGroups.PER_CHANNEL && adaDim) {
            throw new IllegalArgumentException(
                    "recipe '" + name + "': 'adadim' chooses between groups along output or input channels, and"
                            + " '" + groups.token() + "' has no groups to lay out (use g32, g64 or g128)");
        }
        if ((gptq || adaDim) && !bits.quantizesWeights()) {
            throw new IllegalArgumentException(
                    "recipe '" + name + "': 'gptq' and 'adadim' quantize weights; add a weight bit"
                            + " width such as w4a16");
        }
        if (adaDim && bits.quantizesActivations()) {
            throw new IllegalArgumentException(
                    "recipe '" + name + "': 'adadim' chooses weight groups for weight-only"
                            + " quantization (w4a16, w3a16)");
        }
    }

    /**
     * Parses a recipe string.
     *
     * @param text the recipe, e.g. {@code w4a4+rrs+gptq+kv4}
     * @return the recipe
     * @throws IllegalArgumentException naming the bad token and listing the valid ones
     */
    public static QuantRecipe parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty quantization recipe; " + validTokens());
        }
        BitWidths bits = null;
        WeightGroups groups = WeightGroups.DEFAULT;
        ActivationMethod method = ActivationMethod.NONE;
        Set<String> seen = new LinkedHashSet<>();
        boolean gptq = false;
        boolean adaDim = false;
        boolean kv4 = false;
        boolean nativeBlocks = false;
        boolean a8 = false;
        boolean asym = false;
        boolean wasym = false;
        boolean auto = false;
        boolean dq = false;
        ActivationGroups activationGroups = ActivationGroups.PER_TOKEN;
        for (String raw : text.split("\\+", -1)) {
            String token = raw.trim().toLowerCase(Locale.ROOT);
            if (!seen.add(token)) {
                throw new IllegalArgumentException(
                        "recipe '" + text + "': token '" + token + "' appears twice");
            }
            BitWidths b = bitsOf(token);
            ActivationMethod m = methodOf(token);
            WeightGroups g = WeightGroups.of(token);
            ActivationGroups ag = ActivationGroups.of(token);
            if (ag != null) {
                if (activationGroups.grouped()) {
                    throw new IllegalArgumentException("recipe '" + text + "': two activation group sizes, '"
                            + activationGroups.token() + "' and '" + token + "'");
                }
                activationGroups = ag;
            } else if (g != null) {
                if (groups.explicit()) {
                    throw new IllegalArgumentException(
                            "recipe '" + text + "': two weight group sizes, '" + groups.token() + "' and '"
                                    + token + "'");
                }
                groups = g;
            } else if (b != null) {
                if (bits != null) {
                    throw new IllegalArgumentException(
                            "recipe '" + text + "': two bit widths, '" + bits.token() + "' and '"
                                    + token + "'");
                }
                bits = b;
            } else if (m != null) {
                if (method != ActivationMethod.NONE) {
                    throw new IllegalArgumentException(
                            "recipe '" + text + "': two activation methods, '" + method.token()
                                    + "' and '" + token + "' (use 'rrs' for rotation plus"
                                    + " Runtime Smooth)");
                }
                method = m;
            } else if (token.equals(GPTQ)) {
                gptq = true;
            } else if (token.equals(ADADIM)) {
                adaDim = true;
            } else if (token.equals(KV4)) {
                kv4 = true;
            } else if (token.equals(NATIVE_TOKEN)) {
                nativeBlocks = true;
            } else if (token.equals(WASYM)) {
                wasym = true;
            } else if (token.equals(ASYM)) {
                asym = true;
            } else if (token.equals(AUTO)) {
                auto = true;
            } else if (token.equals(DQ)) {
                dq = true;
            } else if (token.equals(A8)) {
                a8 = true;
            } else {
                throw new IllegalArgumentException(
                        "recipe '" + text + "': unknown token '" + token + "'; " + validTokens());
            }
        }
        if (a8 && !nativeBlocks) {
            throw new IllegalArgumentException("recipe '" + text + "': '" + A8 + "' (8-bit inputs to a GGUF file's own"
                    + " blocks) goes with '" + NATIVE_TOKEN + "'; for 8-bit inputs to quantized float weights use w4a8");
        }
        if (nativeBlocks && bits != null) {
            throw new IllegalArgumentException("recipe '" + text + "': '" + NATIVE_TOKEN + "' keeps the file's own"
                    + " blocks, so it takes no bit width ('" + bits.token() + "')");
        }
        NativeBlocks blocks = !nativeBlocks ? NativeBlocks.OFF : a8 ? NativeBlocks.Q8_INPUTS : NativeBlocks.FLOAT_INPUTS;
        BitWidths widths = bits == null ? BitWidths.FP32 : bits;
        check(text, widths, groups, method, gptq, adaDim, kv4, blocks);
        checkAsym(text, widths, method, blocks, asym);
        checkWasym(text, widths, method, wasym);
        checkAuto(text, widths, method, gptq, adaDim, dq, auto);
        checkActivationGroups(text, widths, method, blocks, activationGroups);
        checkDq(text, widths, groups, method, adaDim, asym, wasym, dq, activationGroups);
        return new QuantRecipe(widths, groups, method, gptq, adaDim, kv4, blocks, asym, wasym, auto, dq,
                activationGroups);
    }

    private static BitWidths bitsOf(String token) {
        for (BitWidths b : BitWidths.values()) {
            if (b.token().equals(token)) {
                return b;
            }
        }
        return null;
    }

    private static ActivationMethod methodOf(String token) {
        for (ActivationMethod m : ActivationMethod.values()) {
            if (m != ActivationMethod.NONE && m.token().equals(token)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Describes the valid tokens, for error messages and help text.
     *
     * @return a one-line list
     */
    public static String validTokens() {
        List<String> bits = new ArrayList<>();
        for (BitWidths b : BitWidths.values()) {
            bits.add(b.token());
        }
        List<String> groups = new ArrayList<>();
        for (WeightGroups g : WeightGroups.values()) {
            if (g.explicit()) {
                groups.add(g.token());
            }
        }
        List<String> methods = new ArrayList<>();
        for (ActivationMethod m : ActivationMethod.values()) {
            if (m != ActivationMethod.NONE) {
                methods.add(m.token());
            }
        }
        return "valid tokens: bit widths "
                + String.join(", ", bits)
                + "; weight groups "
                + String.join(", ", groups)
                + " (default g" + RecipeSettings.DEFAULT.weightGroupSize() + " weight-only, pc with quantized"
                + " activations)"
                + "; activation groups "
                + String.join(", ", activationGroupTokens())
                + "; activation methods "
                + String.join(", ", methods)
                + "; weight quantizer "
                + GPTQ
                + "; modifiers "
                + ADADIM
                + ", "
                + KV4
                + ", "
                + ASYM
                + ", "
                + WASYM
                + ", "
                + AUTO
                + ", "
                + DQ
                + "; or "
                + NATIVE_TOKEN
                + " (a GGUF file's own blocks, "
                + NATIVE_TOKEN
                + "+"
                + A8
                + " with 8-bit inputs)";
    }

    private static List<String> activationGroupTokens() {
        List<String> tokens = new ArrayList<>();
        for (ActivationGroups g : ActivationGroups.values()) {
            if (g.grouped()) {
                tokens.add(g.token());
            }
        }
        return tokens;
    }

    /**
     * Returns whether the recipe changes anything.
     *
     * @return {@code false} for plain {@code fp32}
     */
    public boolean isQuantized() {
        return bits.quantizesWeights() || bits.quantizesActivations() || kv4 || method != ActivationMethod.NONE
                || isNative();
    }

    /**
     * Returns whether the recipe runs a GGUF file's own blocks.
     *
     * @return {@code true} for {@code native} and {@code native+a8}
     */
    public boolean isNative() {
        return nativeBlocks != NativeBlocks.OFF;
    }

    /**
     * Returns whether building the recipe needs calibration data.
     *
     * @return {@code true} with {@code gptq}, {@code adadim}, {@code auto}, {@code rptq}, {@code dfrot}
     *     or {@code fp4} (whose bias search runs on calibration inputs)
     */
    public boolean needsCalibration() {
        return gptq || adaDim || planned || bits.floatingPoint() || method == ActivationMethod.RPTQ
                || method == ActivationMethod.DFROT;
    }

    @Override
    public String toString() {
        return describe(bits, groups, method, gptq, adaDim, kv4, nativeBlocks, asymmetricActivations,
                asymmetricWeights, planned, doubleQuantized, activationGroups);
    }

    private static String describe(BitWidths bits, WeightGroups groups, ActivationMethod method, boolean gptq,
            boolean adaDim, boolean kv4, NativeBlocks blocks, boolean asym, boolean wasym, boolean auto, boolean dq,
            ActivationGroups ag) {
        if (blocks != NativeBlocks.OFF) {
            return blocks.label();
        }
        StringBuilder sb = new StringBuilder(bits.token());
        if (groups != null && groups.explicit()) {
            sb.append('+').append(groups.token());
        }
        if (method != ActivationMethod.NONE) {
            sb.append('+').append(method.token());
        }
        if (gptq) {
            sb.append('+').append(GPTQ);
        }
        if (adaDim) {
            sb.append('+').append(ADADIM);
        }
        if (wasym) {
            sb.append('+').append(WASYM);
        }
        if (asym) {
            sb.append('+').append(ASYM);
        }
        if (ag != null && ag.grouped()) {
            sb.append('+').append(ag.token());
        }
        if (auto) {
            sb.append('+').append(AUTO);
        }
        if (dq) {
            sb.append('+').append(DQ);
        }
        if (kv4) {
            sb.append('+').append(KV4);
        }
        return sb.toString();
    }
}
