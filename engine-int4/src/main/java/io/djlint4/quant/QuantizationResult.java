package io.djlint4.quant;

import io.djlint4.model.DecoderModel;
import io.djlint4.quant.calib.LayoutChoice;
import io.djlint4.quant.fp4.Fp4FormatChoice;
import java.util.List;

/**
 * A model built from a recipe together with what calibration decided on the way.
 *
 * @param model the runnable model
 * @param layoutChoices AdaDim's per-projection layout decisions, empty for other recipes
 * @param fp4Formats LLM-FP4's per-layer weight and input formats, empty for other recipes
 * @param contents what the model was built from, in the form a saved quantized model stores;
 *     {@code null} only when a result was made with the two-argument constructor
 */
public record QuantizationResult(
        DecoderModel model,
        List<LayoutChoice> layoutChoices,
        List<Fp4FormatChoice> fp4Formats,
        QuantizedModelContents contents) {

    /** Copies the lists. */
    public QuantizationResult {
        layoutChoices = List.copyOf(layoutChoices);
        fp4Formats = List.copyOf(fp4Formats);
    }

    /**
     * Creates a result with no format choices and nothing to save.
     *
     * @param model the runnable model
     * @param layoutChoices AdaDim's per-projection layout decisions, empty for other recipes
     */
    public QuantizationResult(DecoderModel model, List<LayoutChoice> layoutChoices) {
        this(model, layoutChoices, List.of(), null);
    }
}
