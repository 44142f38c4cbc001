package io.djlint4.cli;

import io.djlint4.generation.LogitsSource;
import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.ForwardResult;
import io.djlint4.model.KvCache;

/** Drives a {@link DecoderModel} for the generation loop, keeping the KV cache of one sequence. */
final class DecoderLogitsSource implements LogitsSource {

    private final DecoderModel model;
    private KvCache cache;

    DecoderLogitsSource(DecoderModel model) {
        this.model = model;
    }

    @Override
    public float[] prefill(int[] promptIds) {
        long[] ids = new long[promptIds.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = promptIds[i];
        }
        return keep(model.forward(ForwardRequest.of(ids, false)));
    }

    @Override
    public float[] next(int tokenId) {
        if (cache == null) {
            throw new IllegalStateException("next() before prefill()");
        }
        return keep(model.forward(ForwardRequest.next(tokenId, cache)));
    }

    private float[] keep(ForwardResult r) {
        cache = r.present();
        return r.logits();
    }
}
