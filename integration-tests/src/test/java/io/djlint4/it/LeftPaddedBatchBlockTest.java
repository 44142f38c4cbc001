package io.djlint4.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.modality.nlp.generate.CausalLMOutput;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractSymbolBlock;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.djlint4.testing.SharedFiles;
import io.djlint4.testing.StoriesReference;
import io.djlint4.translator.BlockLogitsSource;
import io.djlint4.translator.CausalLmTranslatorFactory;
import io.djlint4.translator.LeftPaddedBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LeftPaddedBatch} on stories260K: three prompts of different lengths go through the block
 * in one call per step, each row's logits are those the prompt gets alone, and dropping a row
 * leaves the others unchanged.
 */
class LeftPaddedBatchBlockTest {

    @Test
    void oneBlockCallPerStepServesTheWholeBatchAndMatchesEachSequenceAlone() throws Exception {
        List<int[]> prompts = List.of(new int[] {1, 403, 407, 261, 378}, new int[] {1, 66}, new int[] {1, 300, 301});
        int[][] nextTokens = {{280, 281, 282}, {290, 291, 292}};
        try (ZooModel<?, ?> model = Criteria.builder()
                        .setTypes(NDList.class, CausalLMOutput.class)
                        .optModelPath(SharedFiles.require(StoriesReference.CHECKPOINT))
                        .optEngine("Int4")
                        .optTranslatorFactory(new CausalLmTranslatorFactory())
                        .build()
                        .loadModel();
                NDManager manager = model.getNDManager().newSubManager()) {
            CountingBlock counting = new CountingBlock(model.getBlock());
            List<float[][]> batched = new ArrayList<>();
            float[][] afterRetain;
            try (LeftPaddedBatch batch = new LeftPaddedBatch(counting, manager)) {
                batched.add(batch.prefill(prompts));
                for (int[] step : nextTokens) {
                    batched.add(batch.next(step));
                }
                assertEquals(prompts.get(0).length + nextTokens.length, batch.length(0));
                assertEquals(prompts.get(1).length + nextTokens.length, batch.length(1));
                batch.retain(new int[] {0, 2});
                assertEquals(prompts.get(2).length + nextTokens.length, batch.length(1));
                afterRetain = batch.next(new int[] {283, 293});
            }
            assertEquals(List.of(3, 3, 3, 2), counting.batchSizes, "one call per step for all running prompts");

            for (int p = 0; p < prompts.size(); p++) {
                try (BlockLogitsSource alone = new BlockLogitsSource(model.getBlock(), manager)) {
                    assertClose(alone.prefill(prompts.get(p)), batched.get(0)[p], "prompt " + p + " prefill");
                    for (int s = 0; s < nextTokens.length; s++) {
                        assertClose(alone.next(nextTokens[s][p]), batched.get(s + 1)[p], "prompt " + p + " step " + s);
                    }
                    if (p != 1) {
                        int row = p == 0 ? 0 : 1;
                        assertClose(alone.next(p == 0 ? 283 : 293), afterRetain[row], "prompt " + p + " after retain");
                    }
                }
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4f * Math.max(1f, Math.abs(expected[i])), what + ", logit " + i);
        }
    }

    /** Passes calls on to a block and records the batch size of each. */
    private static final class CountingBlock extends AbstractSymbolBlock {

        private final Block inner;
        private final List<Integer> batchSizes = new ArrayList<>();

        CountingBlock(Block inner) {
            this.inner = inner;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
            batchSizes.add(Math.toIntExact(inputs.get(0).getShape().get(0)));
            return inner.forward(parameterStore, inputs, training, params);
        }

        @Override
        public ParameterList getDirectParameters() {
            return new ParameterList();
        }
    }
}
