/**
 * Weight quantizers: the uniform integer grid (§2.1 of ALGORITHMS.md), the clipping search that
 * picks its range (§2.2), and the methods built on them: RTN and GPTQ (§2.3), each in the usual
 * per-OC group layout ({@link io.djlint4.quant.weight.QuantizedWeights}) or AdaDim's per-IC layout
 * ({@link io.djlint4.quant.weight.PerIcQuantizedWeights}, §6.2); and, beside the integer grids,
 * grids with a float minimum whose steps and minimums are coded per row ({@link
 * io.djlint4.quant.weight.DoubleQuantizer}, the {@code dq} recipe token).
 */
package io.djlint4.quant.weight;
