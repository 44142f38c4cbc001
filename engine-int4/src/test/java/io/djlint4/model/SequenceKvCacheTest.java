package io.djlint4.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.checkpoint.Llama2cCheckpointReader;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-place cache of {@link DecoderModel#forward(List)} against the DJL-layout path of {@link
 * DecoderModel#forward(ForwardRequest)} on stories260K: the same logits bit for bit and the same
 * cached keys and values, across several capacity doublings.
 */
class SequenceKvCacheTest {

    private static DecoderModel model;
    private static long[] text;

    @BeforeAll
    static void load() throws IOException {
        text = StoriesReference.load().ids("sample_text");
        model = DecoderModel.fromWeights(
                Llama2cCheckpointReader.read(SharedFiles.require(StoriesReference.CHECKPOINT), true));
    }

    @Test
    void promptThenDecodeStepsGiveTheLogitsAndCacheOfTheCopyingPath() {
        long[] prompt = Arrays.copyOf(text, 20);
        SequenceKvCache cache = SequenceKvCache.forModel(model.config());
        float[] got = model.forward(List.of(new SequenceStep(cache, prompt)));
        ForwardResult expected = model.forward(ForwardRequest.of(prompt, false));
        assertArrayEquals(expected.logits(), got, "prefill logits");
        for (int t = 20; t < 70; t++) {
            got = model.forward(List.of(new SequenceStep(cache, new long[] {text[t % text.length]})));
            expected = model.forward(ForwardRequest.next(text[t % text.length], expected.present()));
            assertArrayEquals(expected.logits(), got, "logits after position " + t);
        }
        assertEquals(70, cache.length());
        assertEquals(128, cache.capacity(), "16 doubled three times holds 70 positions");
        for (int l = 0; l < cache.layers(); l++) {
            assertArrayEquals(expected.present().keys(l), cache.copyKeys(l), "keys of layer " + l);
            assertArrayEquals(expected.present().values(l), cache.copyValues(l), "values of layer " + l);
        }
    }

    @Test
    void aFailedPassLeavesEveryCacheAsItWas() {
        SequenceKvCache cache = SequenceKvCache.forModel(model.config());
        model.forward(List.of(new SequenceStep(cache, new long[] {1, 403})));
        SequenceKvCache other = SequenceKvCache.forModel(model.config());
        long outside = model.config().vocabSize();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forward(List.of(
                new SequenceStep(cache, new long[] {407}), new SequenceStep(other, new long[] {1, outside}))));
        assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
        assertEquals(2, cache.length());
        assertEquals(0, other.length());
    }

    @Test
    void rejectsACacheUsedTwiceOrShapedForAnotherModel() {
        SequenceKvCache cache = SequenceKvCache.forModel(model.config());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> model.forward(List.of(
                new SequenceStep(cache, new long[] {1}), new SequenceStep(cache, new long[] {1}))));
        assertTrue(twice.getMessage().contains("shares its cache"), twice.getMessage());
        SequenceKvCache wrong = new SequenceKvCache(model.config().numLayers() + 1, model.config().numKvHeads(),
                model.config().headDim());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> model.forward(List.of(new SequenceStep(wrong, new long[] {1}))));
        assertTrue(shape.getMessage().contains("layers"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SequenceStep(cache, new long[0]));
    }
}
