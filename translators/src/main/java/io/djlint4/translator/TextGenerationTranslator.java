package io.djlint4.translator;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.GenerationLoop;
import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.LogitsSource;
import io.djlint4.tokenizer.ChatMessage;
import io.djlint4.tokenizer.ChatTemplate;
import io.djlint4.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Generates a continuation of a prompt ({@code String -> String}) with any engine's causal-LM
 * block. {@code processInput} encodes the prompt (rendered with the chat template when the
 * settings ask for it) into {@code [input_ids, position_ids, attention_mask]}, so the predictor's
 * own block call reads the prompt; {@code processOutput} then decodes token by token with a
 * {@link GenerationLoop} until an EOS id, a stop string or the token limit, and returns the new
 * text (without the prompt). Generation also stops when the model's context is full. Every array
 * lives in the call's context manager and is released when the call ends.
 *
 * <p>Instances are immutable and may be shared by predictors. For streaming, {@link
 * #streaming(Consumer)} gives a translator that hands each piece of text to a listener as soon as
 * it is complete; the pieces concatenate to the returned text.
 */
public class TextGenerationTranslator implements NoBatchifyTranslator<String, String> {

    private static final String PROMPT_IDS = "promptIds";

    private final TextTokenizer tokenizer;
    private final ChatTemplate chatTemplate;
    private final TextGenerationSettings settings;
    private final int[] eosIds;
    private final int contextLength;
    private final Consumer<String> listener;

    /**
     * Creates a translator that does not stream.
     *
     * @param tokenizer the model's tokenizer
     * @param chatTemplate the model's chat template, or {@code null}; required when {@code
     *     settings.chat()} is set
     * @param settings the limits and sampling
     * @param eosIds the ids that end generation
     * @param contextLength the most tokens the model can attend to (generation stops there), or 0
     *     when unknown
     */
    public TextGenerationTranslator(
            TextTokenizer tokenizer,
            ChatTemplate chatTemplate,
            TextGenerationSettings settings,
            int[] eosIds,
            int contextLength) {
        this(tokenizer, chatTemplate, settings, eosIds, contextLength, piece -> { });
    }

    private TextGenerationTranslator(
            TextTokenizer tokenizer,
            ChatTemplate chatTemplate,
            TextGenerationSettings settings,
            int[] eosIds,
            int contextLength,
            Consumer<String> listener) {
        if (settings.chat() && chatTemplate == null) {
            throw new IllegalArgumentException("chat is on but the model has no chat template of a known family");
        }
        this.tokenizer = tokenizer;
        this.chatTemplate = chatTemplate;
        this.settings = settings;
        this.eosIds = eosIds.clone();
        this.contextLength = contextLength;
        this.listener = listener;
    }

    /**
     * Returns a translator with the same tokenizer and settings that streams its output.
     *
     * @param onText receives each new piece of text, in order, on the predicting thread
     * @return the streaming translator
     */
    public TextGenerationTranslator streaming(Consumer<String> onText) {
        return new TextGenerationTranslator(tokenizer, chatTemplate, settings, eosIds, contextLength, onText);
    }

    /**
     * Returns a translator with the same tokenizer and listener but other settings.
     *
     * @param newSettings the settings
     * @return the translator
     */
    public TextGenerationTranslator withSettings(TextGenerationSettings newSettings) {
        return new TextGenerationTranslator(tokenizer, chatTemplate, newSettings, eosIds, contextLength, listener);
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    public TextGenerationSettings getSettings() {
        return settings;
    }

    /**
     * Returns the tokenizer.
     *
     * @return the tokenizer
     */
    public TextTokenizer getTokenizer() {
        return tokenizer;
    }

    /**
     * Returns the ids that end generation.
     *
     * @return the ids (a fresh array)
     */
    public int[] getEosIds() {
        return eosIds.clone();
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String prompt) {
        int[] ids = encode(prompt);
        ctx.setAttachment(PROMPT_IDS, ids);
        long[] tokens = Arrays.stream(ids).asLongStream().toArray();
        long[] positions = new long[ids.length];
        long[] mask = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            positions[i] = i;
            mask[i] = 1;
        }
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(1, ids.length);
        return new NDList(manager.create(tokens, shape), manager.create(positions, shape), manager.create(mask, shape));
    }

    @Override
    public String processOutput(TranslatorContext ctx, NDList prefillOutput) {
        int[] promptIds = (int[]) ctx.getAttachment(PROMPT_IDS);
        int maxNewTokens = settings.maxNewTokens();
        if (contextLength > 0) {
            maxNewTokens = Math.min(maxNewTokens, contextLength - promptIds.length);
        }
        GenerationConfig config =
                new GenerationConfig(maxNewTokens, settings.sampling(), eosIds, settings.stopStrings());
        try (BlockLogitsSource block = new BlockLogitsSource(ctx.getBlock(), ctx.getNDManager())) {
            float[] first = block.resume(promptIds.length, prefillOutput);
            GenerationResult result =
                    new GenerationLoop(new Prefilled(first, block), tokenizer).generate(promptIds, config, listener);
            return result.text();
        }
    }

    private int[] encode(String prompt) {
        int[] ids = settings.chat()
                ? tokenizer.encode(chatTemplate.render(List.of(ChatMessage.user(prompt)), true), false, true)
                : tokenizer.encode(prompt, tokenizer.addBosByDefault(), false);
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt encodes to no tokens and the tokenizer has no BOS; give some text");
        }
        if (contextLength > 0 && ids.length >= contextLength) {
            throw new IllegalArgumentException("the prompt has " + ids.length
                    + " tokens, which fills the model's context of " + contextLength);
        }
        return ids;
    }

    /** The block already read the prompt: its logits answer the loop's prefill call. */
    private static final class Prefilled implements LogitsSource {

        private final float[] promptLogits;
        private final BlockLogitsSource block;

        Prefilled(float[] promptLogits, BlockLogitsSource block) {
            this.promptLogits = promptLogits;
            this.block = block;
        }

        @Override
        public float[] prefill(int[] promptIds) {
            if (promptIds.length != block.length()) {
                throw new IllegalStateException("the prompt was already read; prefill cannot start another sequence");
            }
            return promptLogits;
        }

        @Override
        public float[] next(int tokenId) {
            return block.next(tokenId);
        }
    }
}
