/**
 * Calibration-based weight quantization: the calibration token sequences, the layer-by-layer
 * runner that keeps every sequence's residual stream between layers, GPTQ in the papers' "true
 * sequential" order (§2.3 of ALGORITHMS.md) and AdaDim's per-layer choice between per-OC and
 * per-IC weight groups with RTN or GPTQ (§6).
 */
package io.djlint4.quant.calib;
