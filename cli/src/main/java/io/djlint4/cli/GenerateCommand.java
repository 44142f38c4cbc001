package io.djlint4.cli;

import io.djlint4.checkpoint.LoadedCheckpoint;
import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.GenerationLoop;
import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.SamplingConfig;
import io.djlint4.model.ClassifierPrecision;
import io.djlint4.model.DecoderModel;
import io.djlint4.quant.QuantRecipe;
import io.djlint4.tokenizer.ChatMessage;
import io.djlint4.tokenizer.ChatTemplate;
import io.djlint4.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code int4 generate}: continues a prompt (or answers it with {@code --chat}), streaming the text
 * to stdout.
 */
final class GenerateCommand implements Command {

    private static final OptionSpec PROMPT = OptionSpec.value("prompt", "TEXT", "the prompt (required)");
    private static final OptionSpec CHAT = OptionSpec.flag(
            "chat", "wrap the prompt in the model's chat template as a user message");
    private static final int DEFAULT_MAX_TOKENS = 128;

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "generate text from a prompt";
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> specs = new ArrayList<>(List.of(CommonOptions.MODEL, PROMPT));
        specs.addAll(GenerationOptions.sampling(DEFAULT_MAX_TOKENS));
        specs.addAll(List.of(CHAT, CommonOptions.TOKENIZER, CommonOptions.QUANT, CommonOptions.CALIB, CommonOptions.CALIB_SAMPLES, CommonOptions.CALIB_LEN,
                CommonOptions.WEIGHT_BUDGET,
                CommonOptions.LM_HEAD, CommonOptions.THREADS,
                CommonOptions.JSON, CommonOptions.VERBOSE));
        return specs;
    }

    @Override
    public void run(ParsedOptions o, CliContext context) throws Exception {
        boolean json = o.flag(CommonOptions.JSON.name());
        String prompt = o.require(PROMPT.name());
        o.requirePath(CommonOptions.MODEL.name());
        ModelLoader.recipe(o); // a bad --quant is a usage error, reported before loading
        SamplingConfig sampling = GenerationOptions.sampling(o);
        int maxTokens = o.integer(GenerationOptions.MAX_TOKENS, DEFAULT_MAX_TOKENS, 1);
        boolean chat = o.flag(CHAT.name());
        ClassifierPrecision lmHead = ModelLoader.lmHead(o);
        ModelLoader.applyThreads(o);

        TerminalProgress progress = context.progress(json);
        ModelInput input = ModelLoader.input(o, progress);
        LoadedCheckpoint checkpoint = input.checkpoint();
        QuantRecipe recipe = ModelLoader.recipe(o, input);
        Path tokenizerPath = o.has(CommonOptions.TOKENIZER.name()) ? Paths.get(o.require(CommonOptions.TOKENIZER.name())) : null;
        TextTokenizer tokenizer = TokenizerLocator.locate(checkpoint, tokenizerPath);
        ChatTemplate template = chat ? ChatTemplateLocator.require(checkpoint, tokenizerPath) : null;
        int[] promptIds = template != null
                ? template.prompt(List.of(ChatMessage.user(prompt)), true).encode(tokenizer)
                : tokenizer.encode(prompt, tokenizer.addBosByDefault(), false);
        if (promptIds.length == 0) {
            throw new CliFailure("the prompt encodes to no tokens and the tokenizer has no BOS; give some text");
        }
        int granted = GenerationOptions.fitToContext(maxTokens, promptIds.length, checkpoint.config());
        GenerationConfig config = new GenerationConfig(
                granted,
                sampling,
                GenerationOptions.stopIds(tokenizer, checkpoint.config(), template),
                List.of());
        DecoderModel model = lmHead.apply(ModelLoader.build(input, recipe, ModelLoader.settings(o),
                () -> ModelLoader.calibration(o, recipe, tokenizer, input.weights(), progress), progress));

        Consumer<String> stream = json ? piece -> { } : piece -> {
            context.out().print(piece);
            context.out().flush();
        };
        if (!json && template == null) {
            context.out().print(prompt);
        }
        GenerationResult result = new GenerationLoop(new DecoderLogitsSource(model), tokenizer)
                .generate(promptIds, config, stream);
        if (json) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("recipe", recipe.toString());
            fields.put("prompt_tokens", result.promptIds());
            fields.put("tokens", result.tokens());
            fields.put("text", result.text());
            fields.put("stop_reason", GenerationOptions.stopReason(result, maxTokens, granted));
            fields.put("prefill_tokens_per_s", result.prefillTokensPerSecond());
            fields.put("decode_tokens_per_s", result.decodeTokensPerSecond());
            JsonOutput.print(context.out(), fields);
        } else {
            context.out().println();
            context.out().flush();
            context.err().println(summary(result, GenerationOptions.stopReason(result, maxTokens, granted)));
        }
    }

    /** The timing line printed on stderr after streamed output. */
    static String summary(GenerationResult r, String stopReason) {
        return String.format(Locale.ROOT,
                "[%d prompt tokens at %.1f tokens/s, %d generated at %.1f tokens/s, stopped by %s]",
                r.promptIds().length, r.prefillTokensPerSecond(), r.tokens().length, r.decodeTokensPerSecond(),
                stopReason.replace('_', ' '));
    }
}
