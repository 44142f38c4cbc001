package io.djlint4.quant;

import io.djlint4.model.DecoderModel;
import io.djlint4.quant.calib.LayoutChoice;
import java.util.List;

/**
 * A model built from a recipe together with what calibration decided on the way.
 *
 * @param model the runnable model
 * @param layoutChoices AdaDim's per-projection layout decisions, empty for other recipes
 * @param contents what the model was built from, in the form a saved quantized model stores;
 *     {@code null} for the recipes that cannot be saved yet ({@code fp4}, {@code rptq})
 */
public record QuantizationResult(
        DecoderModel model, List<LayoutChoice> layoutChoices, QuantizedModelContents contents) {

    /** Copies the list. */
    public QuantizationResult {
        layoutChoices = List.copyOf(layoutChoices);
    }

    /**
     * Creates a result with nothing to save.
     *
     * @param model the runnable model
     * @param layoutChoices AdaDim's per-projection layout decisions
     */
    public QuantizationResult(DecoderModel model, List<LayoutChoice> layoutChoices) {
        this(model, layoutChoices, null);
    }
}
