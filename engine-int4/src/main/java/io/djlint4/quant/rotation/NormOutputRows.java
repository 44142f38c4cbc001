package io.djlint4.quant.rotation;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ForwardRequest;
import io.djlint4.model.LinearSlot;
import java.util.ArrayList;
import java.util.List;

/**
 * DFRot's calibration rows (§8.3 of ALGORITHMS.md): the output of every RMSNorm inside the decoder
 * layers of a norm-folded model (unit gains), i.e. the inputs of the q/k/v and gate/up slots,
 * stacked over layers and tokens.
 */
public final class NormOutputRows {

    private NormOutputRows() {}

    /**
     * Runs the sequences and collects the rows.
     *
     * @param folded a model whose norm gains were folded into the projections
     * @param sequences calibration token sequences
     * @return the rows, row-major {@code [n, hidden]}
     */
    public static float[] collect(DecoderModel folded, List<long[]> sequences) {
        List<float[]> parts = new ArrayList<>();
        int[] total = {0};
        for (long[] seq : sequences) {
            folded.forward(
                    ForwardRequest.of(seq, false)
                            .withObserver(
                                    (layer, slot, x, rows, width) -> {
                                        if (slot == LinearSlot.QKV || slot == LinearSlot.GATE_UP) {
                                            parts.add(java.util.Arrays.copyOf(x, rows * width));
                                            total[0] += rows * width;
                                        }
                                    }));
        }
        float[] out = new float[total[0]];
        int off = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
