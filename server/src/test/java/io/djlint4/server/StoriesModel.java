package io.djlint4.server;

import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.generation.GenerationConfig;
import io.djlint4.generation.GenerationLoop;
import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.LogitsSource;
import io.djlint4.generation.SamplingConfig;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ForwardResult;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import io.djlint4.tokenizer.ChatMlTemplate;
import io.djlint4.tokenizer.Llama2cTokenizer;
import io.djlint4.tokenizer.TextTokenizer;
import java.io.IOException;

/**
 * stories260K as the server tests serve it, with ChatML as its chat template (the model has none;
 * any template exercises the chat endpoint), and the reference output of a prompt generated alone
 * on the DJL-layout path, outside the scheduler.
 */
final class StoriesModel {

    static final String NAME = "stories260K";

    private static StoriesModel instance;

    final DecoderModel decoder;
    final TextTokenizer tokenizer;

    private StoriesModel(DecoderModel decoder, TextTokenizer tokenizer) {
        this.decoder = decoder;
        this.tokenizer = tokenizer;
    }

    static synchronized StoriesModel load() throws IOException {
        if (instance == null) {
            DecoderModel decoder = DecoderModel.fromWeights(
                    Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true));
            instance = new StoriesModel(decoder, Llama2cTokenizer.load(SharedFiles.require(StoriesReference.TOKENIZER)));
        }
        return instance;
    }

    ServedModel served() {
        return new ServedModel(NAME, decoder, tokenizer, new ChatMlTemplate(), tokenizer.eosIds());
    }

    int[] encode(String prompt) {
        return tokenizer.encode(prompt, tokenizer.addBosByDefault(), false);
    }

    /** Greedy generation of a prompt alone, one token per forward call on the copying KvCache path. */
    GenerationResult alone(int[] promptIds, int maxTokens) {
        LogitsSource source = new LogitsSource() {
            private ForwardResult last;

            @Override
            public float[] prefill(int[] ids) {
                last = decoder.forward(ForwardRequest.of(java.util.Arrays.stream(ids).asLongStream().toArray(), false));
                return last.logits();
            }

            @Override
            public float[] next(int token) {
                last = decoder.forward(ForwardRequest.next(token, last.present()));
                return last.logits();
            }
        };
        return new GenerationLoop(source, tokenizer)
                .generate(promptIds, GenerationConfig.of(maxTokens, SamplingConfig.GREEDY, tokenizer.eosIds()), t -> { });
    }
}
