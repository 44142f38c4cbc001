package io.djlint4.translator;

import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.SequenceGenerator;
import io.djlint4.tokenizer.ChatMessage;
import io.djlint4.tokenizer.ChatTemplate;
import io.djlint4.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Generates a continuation of a prompt ({@code String -> String}) with any engine's causal-LM
 * block. The input step encodes the prompts (rendered with the chat template when the settings ask
 * for it) into left-padded {@code [input_ids, position_ids, attention_mask]}, so the predictor's
 * own block call reads them; the output step then decodes token by token, one block call per
 * token for the whole batch, each sequence until its EOS id, stop string or token limit, and
 * returns the new text (without the prompt). Generation also stops when the model's context is
 * full. Every array lives in the call's context manager and is released when the call ends.
 *
 * <p>{@code Predictor.batchPredict} generates for all its prompts in one batch; with greedy
 * decoding each result is the text the prompt gets alone. Instances are immutable and may be
 * shared by predictors. For streaming, {@link #streaming(Consumer)} gives a translator that hands
 * each piece of text to a listener as soon as it is complete (the pieces concatenate to the
 * returned text), and {@link #chunked()} one for DJL's {@code Predictor.streamingPredict}.
 */
public class TextGenerationTranslator implements Translator<String, String> {

    private static final String PROMPTS = "prompts";

    /**
     * DJL's predictor batches only translators that have a batchifier. Padding needs the token
     * ids, so {@link #batchProcessInput} and {@link #batchProcessOutput} handle the batch whole and
     * the predictor never asks this batchifier to split or join arrays.
     */
    private static final Batchifier PADS_ITS_OWN_BATCHES = new Batchifier() {
        @Override
        public NDList batchify(NDList[] inputs) {
            throw new UnsupportedOperationException("prompts are left-padded by batchProcessInput");
        }

        @Override
        public NDList[] unbatchify(NDList inputs) {
            throw new UnsupportedOperationException("a generation batch is decoded whole by batchProcessOutput");
        }

        @Override
        public NDList[] split(NDList list, int numOfSlices, boolean evenSplit) {
            throw new UnsupportedOperationException("a generation batch is not split across devices");
        }
    };
    private static final Consumer<String> NO_LISTENER = piece -> { };

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
        this(tokenizer, chatTemplate, settings, eosIds, contextLength, NO_LISTENER);
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
     * Returns a translator with the same tokenizer and settings that streams its output. It
     * predicts one prompt per call: {@code batchPredict} of several prompts fails rather than mix
     * their texts.
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

    /**
     * Returns a translator with the same tokenizer and settings for DJL's streaming API: its
     * output is a {@link ai.djl.inference.streaming.ChunkedBytesSupplier} of UTF-8 text pieces.
     *
     * @return the streaming translator
     */
    public TextChunksTranslator chunked() {
        return new TextChunksTranslator(this);
    }

    @Override
    public Batchifier getBatchifier() {
        return PADS_ITS_OWN_BATCHES;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String prompt) {
        return batchProcessInput(ctx, Collections.singletonList(prompt));
    }

    @Override
    public String processOutput(TranslatorContext ctx, NDList prefillOutput) {
        List<String> texts = batchProcessOutput(ctx, prefillOutput);
        if (texts.size() != 1) {
            throw new IllegalStateException("processOutput reads one prompt's output, the batch has " + texts.size());
        }
        return texts.get(0);
    }

    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<String> prompts) {
        if (prompts == null) {
            throw new IllegalArgumentException("the batch of prompts is null; give a list of strings");
        }
        List<int[]> ids = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            ids.add(encode(prompt));
        }
        ctx.setAttachment(PROMPTS, ids);
        return LeftPaddedBatch.prefillInputs(ctx.getNDManager(), ids);
    }

    @Override
    public List<String> batchProcessOutput(TranslatorContext ctx, NDList prefillOutput) {
        List<SequenceGenerator> sequences = new ArrayList<>();
        try (BatchGeneration generation = startGeneration(ctx, prefillOutput, sequences, listener)) {
            while (generation.step()) {
                // Each step feeds every running sequence one token.
            }
        }
        List<String> texts = new ArrayList<>(sequences.size());
        for (SequenceGenerator sequence : sequences) {
            texts.add(sequence.result(0, 0, 0).text());
        }
        return texts;
    }

    /**
     * Prepares the generation that follows the block's reading of the prompts the input step
     * encoded.
     *
     * @param ctx the context the prompts were encoded in
     * @param prefillOutput the block's output for them
     * @param sequences receives one generator per prompt, in batch order
     * @param onText receives the text of the only sequence; batches of several prompts take none
     * @return the generation, not started
     */
    BatchGeneration startGeneration(
            TranslatorContext ctx, NDList prefillOutput, List<SequenceGenerator> sequences, Consumer<String> onText) {
        @SuppressWarnings("unchecked")
        List<int[]> prompts = (List<int[]>) ctx.getAttachment(PROMPTS);
        if (prompts.size() > 1 && onText != NO_LISTENER) {
            throw new IllegalStateException("a streaming translator hands out the text of one prompt; predict "
                    + prompts.size() + " prompts one at a time, or batch them with a translator that does not stream");
        }
        int[] lengths = new int[prompts.size()];
        for (int i = 0; i < lengths.length; i++) {
            int[] ids = prompts.get(i);
            lengths[i] = ids.length;
            int maxNewTokens = settings.maxNewTokens();
            if (contextLength > 0) {
                maxNewTokens = Math.min(maxNewTokens, contextLength - ids.length);
            }
            GenerationConfig config =
                    new GenerationConfig(maxNewTokens, settings.sampling(), eosIds, settings.stopStrings());
            sequences.add(new SequenceGenerator(ids, config, tokenizer, onText));
        }
        return new BatchGeneration(
                new LeftPaddedBatch(ctx.getBlock(), ctx.getNDManager()), sequences, lengths, prefillOutput);
    }

    private int[] encode(String prompt) {
        if (prompt == null) {
            throw new IllegalArgumentException("the prompt is null; give a string");
        }
        int[] ids = settings.chat()
                ? chatTemplate.prompt(List.of(ChatMessage.user(prompt)), true).encode(tokenizer)
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
}
