package io.djlint4.spark;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.djlint4.cli.CliFailure;
import io.djlint4.cli.ErrorMessages;
import io.djlint4.cli.GenerationOptions;
import io.djlint4.engine.Int4Engine;
import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.SamplingConfig;
import io.djlint4.generation.SequenceGenerator;
import io.djlint4.translator.BatchGeneration;
import io.djlint4.translator.LeftPaddedBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates for a group of prompts in one batch of the engine's left-padded batched generation
 * ({@link BatchGeneration}, as {@code Predictor.batchPredict} runs it), so each prompt gets what it
 * would get alone. A prompt that cannot run (invalid UTF-8, no tokens, too long for the context)
 * becomes its row's error and stays out of the batch; the others run.
 */
final class BatchedGenerator {

    private static final double NANOS_PER_MS = 1e6;

    private final GenerationModel model;
    private final SamplingConfig sampling;
    private final int maxTokens;

    /**
     * Creates a generator.
     *
     * @param model the model, shared by the tasks of this JVM
     * @param sampling how tokens are chosen
     * @param maxTokens the most tokens to generate per prompt
     */
    BatchedGenerator(GenerationModel model, SamplingConfig sampling, int maxTokens) {
        this.model = model;
        this.sampling = sampling;
        this.maxTokens = maxTokens;
    }

    /**
     * Generates for every prompt.
     *
     * @param prompts prompt cells ({@link String} or UTF-8 {@code byte[]}), in row order
     * @return one row per prompt, in the same order
     */
    List<GeneratedRow> generate(List<Object> prompts) {
        GeneratedRow[] rows = new GeneratedRow[prompts.size()];
        List<SequenceGenerator> sequences = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        List<Integer> rowOf = new ArrayList<>();
        List<Integer> granted = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            int[] promptIds = null;
            try {
                promptIds = encode(PromptText.decode(prompts.get(i)));
                int tokens = GenerationOptions.fitToContext(maxTokens, promptIds.length, model.config());
                GenerationConfig config = new GenerationConfig(tokens, sampling, model.eosIds(), List.of());
                sequences.add(new SequenceGenerator(promptIds, config, model.tokenizer(), piece -> { }));
                ids.add(promptIds);
                rowOf.add(i);
                granted.add(tokens);
            } catch (CliFailure | IllegalArgumentException e) {
                rows[i] = GeneratedRow.failed(promptIds == null ? null : promptIds.length, ErrorMessages.describe(e));
            }
        }
        if (!sequences.isEmpty()) {
            run(sequences, ids, rowOf, granted, rows);
        }
        return List.of(rows);
    }

    private int[] encode(String prompt) {
        int[] ids = model.tokenizer().encode(prompt, model.tokenizer().addBosByDefault(), false);
        if (ids.length == 0) {
            throw new CliFailure("the prompt encodes to no tokens and the tokenizer has no BOS; give some text");
        }
        return ids;
    }

    private void run(List<SequenceGenerator> sequences, List<int[]> ids, List<Integer> rowOf, List<Integer> granted,
            GeneratedRow[] rows) {
        int[] lengths = ids.stream().mapToInt(p -> p.length).toArray();
        long prefillNanos;
        long decodeNanos;
        try (NDManager manager = NDManager.newBaseManager(Int4Engine.ENGINE_NAME)) {
            long start = System.nanoTime();
            NDList prefill = model.block().forward(
                    new ParameterStore(manager, false), LeftPaddedBatch.prefillInputs(manager, ids), false);
            long prefilled = System.nanoTime();
            try (BatchGeneration generation =
                    new BatchGeneration(new LeftPaddedBatch(model.block(), manager), sequences, lengths, prefill)) {
                while (generation.step()) {
                    // Each step feeds every running sequence one token.
                }
            }
            prefillNanos = prefilled - start;
            decodeNanos = System.nanoTime() - prefilled;
        }
        for (int k = 0; k < sequences.size(); k++) {
            GenerationResult r = sequences.get(k).result(prefillNanos, decodeNanos, 0);
            rows[rowOf.get(k)] = new GeneratedRow(r.text(), lengths[k], r.tokens().length,
                    GenerationOptions.stopReason(r, maxTokens, granted.get(k)),
                    prefillNanos / NANOS_PER_MS, decodeNanos / NANOS_PER_MS, sequences.size(), null);
        }
    }
}
