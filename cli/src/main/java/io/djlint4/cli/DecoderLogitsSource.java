package io.djlint4.cli;

import io.djlint4.generation.LogitsSource;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.SequenceKvCache;
import io.djlint4.model.SequenceStep;
import java.util.List;

/**
 * Drives a {@link DecoderModel} for the generation loop, keeping the KV cache of one sequence; the
 * cache grows in place, so a decode step costs the same after a long prompt as after a short one.
 */
final class DecoderLogitsSource implements LogitsSource {

    private final DecoderModel model;
    private SequenceKvCache cache;

    DecoderLogitsSource(DecoderModel model) {
        this.model = model;
    }

    @Override
    public float[] prefill(int[] promptIds) {
        long[] ids = new long[promptIds.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = promptIds[i];
        }
        cache = SequenceKvCache.forModel(model.config());
        return model.forward(List.of(new SequenceStep(cache, ids)));
    }

    @Override
    public float[] next(int tokenId) {
        if (cache == null) {
            throw new IllegalStateException("next() before prefill()");
        }
        return model.forward(List.of(new SequenceStep(cache, new long[] {tokenId})));
    }
}
