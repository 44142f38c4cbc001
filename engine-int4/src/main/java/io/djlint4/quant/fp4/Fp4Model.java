package io.djlint4.quant.fp4;

import io.djlint4.model.DecoderModel;
import java.util.List;

/**
 * An LLM-FP4 model and the formats its search chose.
 *
 * @param model the runnable model
 * @param formatChoices the formats of every quantized linear in model order, classifier last
 * @param layers the calibrated projections the model was built from, for saving it
 */
public record Fp4Model(DecoderModel model, List<Fp4FormatChoice> formatChoices, Fp4Layers layers) {

    /** Copies the list. */
    public Fp4Model {
        formatChoices = List.copyOf(formatChoices);
    }
}
