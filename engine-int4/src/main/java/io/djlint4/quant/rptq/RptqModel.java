package io.djlint4.quant.rptq;

import io.djlint4.model.DecoderModel;
import io.djlint4.model.ModelWeights;

/**
 * An RPTQ model and what it was built from.
 *
 * @param model the runnable (simulated) model
 * @param reordered the full-precision weights with the reorders fused in
 * @param layers the reorders, grids and codes calibration decided
 */
public record RptqModel(DecoderModel model, ModelWeights reordered, RptqLayers layers) {}
