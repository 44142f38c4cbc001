package io.djlint4.quant;

import io.djlint4.model.DecoderModel;
import io.djlint4.quant.calib.LayoutChoice;
import java.util.List;

/**
 * A model built from a recipe together with what calibration decided on the way.
 *
 * @param model the runnable model
 * @param layoutChoices AdaDim's per-projection layout decisions, empty for other recipes
 */
public record QuantizationResult(DecoderModel model, List<LayoutChoice> layoutChoices) {

    /** Copies the list. */
    public QuantizationResult {
        layoutChoices = List.copyOf(layoutChoices);
    }
}
