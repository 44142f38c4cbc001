package io.djlint4.quant.kv;

import io.djlint4.model.KvQuantizer;
import io.djlint4.quant.weight.QuantParams;
import io.djlint4.quant.weight.UniformQuantizer;

/**
 * Rounds keys and values to a {@link KvCacheSettings#BITS}-bit grid fitted to each group of one
 * token: keys per (token, KV head), values per (token, KV head) or per token, as the settings
 * say. Groups never span tokens, so a token's cached values do not depend on which call wrote it.
 */
public final class GroupedKvQuantizer implements KvQuantizer {

    private final UniformQuantizer grid;
    private final float clip;
    private final int width;
    private final int keyGroup;
    private final int valueGroup;

    /**
     * Creates the quantizer for a model's KV shape.
     *
     * @param kvHeads the number of key/value heads
     * @param headDim the head dimension
     * @param settings the grids
     */
    public GroupedKvQuantizer(int kvHeads, int headDim, KvCacheSettings settings) {
        if (kvHeads < 1 || headDim < 1) {
            throw new IllegalArgumentException("bad KV shape: " + kvHeads + " heads of " + headDim);
        }
        this.grid = new UniformQuantizer(KvCacheSettings.BITS, settings.symmetric());
        this.clip = settings.clip();
        this.width = kvHeads * headDim;
        this.keyGroup = headDim;
        this.valueGroup = settings.valueGroups() == KvCacheSettings.ValueGroups.PER_HEAD ? headDim : width;
    }

    @Override
    public void quantizeKeys(float[] keys, int tokens) {
        roundGroups(keys, tokens, keyGroup);
    }

    @Override
    public void quantizeValues(float[] values, int tokens) {
        roundGroups(values, tokens, valueGroup);
    }

    private void roundGroups(float[] x, int tokens, int group) {
        for (int off = 0; off < tokens * width; off += group) {
            QuantParams p = grid.fit(x, off, 1, group, clip);
            for (int i = off; i < off + group; i++) {
                x[i] = grid.roundTrip(x[i], p);
            }
        }
    }
}
