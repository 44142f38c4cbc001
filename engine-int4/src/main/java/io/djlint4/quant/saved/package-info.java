/**
 * Saved quantized models of every recipe: a directory holding the packed codes, grids (LLM-FP4's
 * biases and shifts, RPTQ's reorders and cluster grids) and fused full-precision tensors in {@code
 * model.safetensors} and the recipe, settings and configuration in {@code int4-quantized.json}, written atomically by {@link io.djlint4.quant.saved.QuantizedModelWriter}
 * and read back without calibration by {@link io.djlint4.quant.saved.QuantizedModelReader} into the
 * same model, bit for bit.
 */
package io.djlint4.quant.saved;
