package io.djlint4.cli;

import io.djlint4.quant.DefaultRecipe;
import io.djlint4.quant.RecipeSettings;

/** The options several commands share. */
public final class CommonOptions {

    public static final OptionSpec MODEL = OptionSpec.value(
            "model", "PATH", "checkpoint: a Hugging Face directory, a GGUF file, a llama2.c .bin, or a directory"
                    + " written by int4 quantize");
    public static final OptionSpec TOKENIZER = OptionSpec.value(
            "tokenizer", "PATH", "tokenizer.json (or its directory) or a llama2.c tokenizer .bin; default:"
                    + " the model's own");
    public static final OptionSpec QUANT = OptionSpec.value(
            "quant", "RECIPE", "quantization recipe, e.g. w4a16, w4a8+g32+gptq or w4a4+rrs; weight groups g32, g64,"
                    + " g128 or pc (per channel) go with any integer bit width (default: native for a GGUF file with"
                    + " quantized matrices, which runs its own blocks, else the recommended " + DefaultRecipe.RECOMMENDED
                    + "; fp32 for full precision)");
    public static final OptionSpec CALIB = OptionSpec.value(
            "calib", "FILE", "calibration text for recipes that need it (gptq, adadim, rptq, dfrot, fp4): a"
                    + " training or validation text, never the text being evaluated; WikiText's tokenized files"
                    + " (wiki.*.tokens, wiki.*.raw: recognised by their ' @-@ ', ' @,@ ', ' @.@ ' separators) are"
                    + " detokenized first; default: text sampled from the model");
    public static final OptionSpec CALIB_SAMPLES = OptionSpec.value(
            "calib-samples", "N", "calibration sequences cut from the --calib text (default 128)");
    public static final OptionSpec CALIB_LEN = OptionSpec.value(
            "calib-len", "N", "tokens per calibration sequence (default 512)");
    public static final OptionSpec WEIGHT_BUDGET = OptionSpec.value(
            "weight-budget", "BPW", "the most bits per projection weight (codes and grids) a weight-only auto"
                    + " recipe (w4a16+dq+auto) spends on choosing each projection's group size (default "
                    + RecipeSettings.DEFAULT_WEIGHT_BUDGET + ")");
    public static final OptionSpec SIMULATED = OptionSpec.flag(
            "simulated", "run quantized projections as the papers' reference code does (dequantized float"
                    + " weights, quantize-dequantized inputs) instead of on the packed 4-bit kernels");
    public static final OptionSpec LM_HEAD = OptionSpec.value(
            "lm-head", "PRECISION", "classifier weights: fp32 (default), bf16 (8 mantissa bits, half the bytes decode reads per token)"
                    + " or int8 (8-bit codes per block of 32, a quarter); a quantized classifier, fp4's, is kept");
    static final OptionSpec THREADS = OptionSpec.value(
            "threads", "N", "kernel threads (default: all processors; at most 4 per processor and 1024)");
    public static final OptionSpec JSON = OptionSpec.flag("json", "print one JSON object on stdout");
    public static final OptionSpec VERBOSE = OptionSpec.flag("verbose", "print stack traces on errors");

    private CommonOptions() {}
}
