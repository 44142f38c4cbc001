package io.djlint4.translator;

import ai.djl.inference.streaming.ChunkedBytesSupplier;
import ai.djl.inference.streaming.StreamingTranslator;
import ai.djl.ndarray.BytesSupplier;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslatorContext;
import io.djlint4.generation.SequenceGenerator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Text generation for DJL's streaming API ({@code Predictor.streamingPredict}): a prompt becomes a
 * {@link ChunkedBytesSupplier} whose chunks are the UTF-8 pieces of the generated text, in order,
 * as the tokens are produced; the pieces concatenate to what the {@link TextGenerationTranslator}
 * it was made from returns. The last chunk may be empty.
 *
 * <p>{@code streamingPredict} supports both of DJL's modes: {@code getIterativeOutput()} gives a
 * supplier that generates on the reading thread, a token whenever the reader wants a chunk and
 * none is ready; {@code getAsyncOutput()} gives an empty supplier that {@code
 * computeAsyncOutput()} fills (run it on another thread and read as it fills). Plain {@code
 * predict} returns a supplier that already holds every chunk. The model's block must be a DJL
 * {@code StreamingBlock} that streams its one output (the Int4 engine's is). Prompts are predicted
 * one at a time.
 */
public final class TextChunksTranslator implements StreamingTranslator<String, ChunkedBytesSupplier> {

    private final TextGenerationTranslator text;

    /**
     * Creates the translator.
     *
     * @param text encodes the prompts and generates, with its tokenizer and settings
     */
    public TextChunksTranslator(TextGenerationTranslator text) {
        this.text = text;
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String prompt) {
        return text.batchProcessInput(ctx, Collections.singletonList(prompt));
    }

    @Override
    public ChunkedBytesSupplier processOutput(TranslatorContext ctx, NDList prefillOutput) {
        ChunkedBytesSupplier chunks = new ChunkedBytesSupplier();
        generateInto(chunks, ctx, prefillOutput);
        return chunks;
    }

    @Override
    public Support getSupport() {
        return Support.BOTH;
    }

    @Override
    public StreamOutput<ChunkedBytesSupplier> processStreamOutput(TranslatorContext ctx, Stream<NDList> outputs) {
        return new StreamOutput<>() {
            @Override
            protected ChunkedBytesSupplier buildAsyncOutput() {
                return new ChunkedBytesSupplier();
            }

            @Override
            protected void computeAsyncOutputInternal(ChunkedBytesSupplier chunks) {
                try (outputs) {
                    generateInto(chunks, ctx, onlyOutput(outputs));
                }
            }

            @Override
            public ChunkedBytesSupplier getIterativeOutputInternal() {
                PulledChunks chunks = new PulledChunks(outputs);
                List<SequenceGenerator> sequences = new ArrayList<>(1);
                chunks.generation = text.startGeneration(ctx, onlyOutput(outputs), sequences, chunks::add);
                return chunks;
            }
        };
    }

    private void generateInto(ChunkedBytesSupplier chunks, TranslatorContext ctx, NDList prefillOutput) {
        List<SequenceGenerator> sequences = new ArrayList<>(1);
        try (BatchGeneration generation =
                text.startGeneration(ctx, prefillOutput, sequences, piece -> add(chunks, piece, false))) {
            while (generation.step()) {
                // The listener appends each piece as it is complete.
            }
        }
        add(chunks, "", true);
    }

    private static void add(ChunkedBytesSupplier chunks, String piece, boolean last) {
        chunks.appendContent(piece.getBytes(StandardCharsets.UTF_8), last);
    }

    /** The block streams a single output: the prompt's logits and cache. */
    private static NDList onlyOutput(Stream<NDList> outputs) {
        Iterator<NDList> it = outputs.iterator();
        if (!it.hasNext()) {
            throw new IllegalStateException("the streaming block gave no output");
        }
        NDList first = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("the streaming block gave more than one output; generation continues"
                    + " from the prompt's output alone");
        }
        return first;
    }

    /**
     * Chunks generated on the reading thread: whenever the reader asks for a chunk and none is
     * queued, tokens are generated until a piece of text is (or generation ends and the empty last
     * chunk is). The block's output stream, and with it the prediction's context, is closed when
     * generation ends.
     */
    private static final class PulledChunks extends ChunkedBytesSupplier {

        private final Stream<NDList> outputs;
        private BatchGeneration generation;
        private int queued;

        PulledChunks(Stream<NDList> outputs) {
            this.outputs = outputs;
        }

        void add(String piece) {
            appendContent(piece.getBytes(StandardCharsets.UTF_8), false);
            queued++;
        }

        private void produce() {
            while (queued == 0 && generation != null) {
                if (!generation.step()) {
                    generation.close();
                    generation = null;
                    outputs.close();
                    appendContent(new byte[0], true);
                    queued++;
                }
            }
        }

        @Override
        public boolean hasNext() {
            produce();
            return super.hasNext();
        }

        @Override
        public BytesSupplier next(long timeout, TimeUnit unit)
                throws InterruptedException {
            produce();
            BytesSupplier chunk = super.next(timeout, unit);
            queued--;
            return chunk;
        }

        @Override
        public BytesSupplier poll() {
            produce();
            BytesSupplier chunk = super.poll();
            if (chunk != null) {
                queued--;
            }
            return chunk;
        }
    }
}
