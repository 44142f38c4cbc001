/**
 * Weight quantizers: the uniform integer grid (§2.1 of ALGORITHMS.md), the clipping search that
 * picks its range (§2.2), and the methods built on them: RTN and GPTQ (§2.3), each in the usual
 * per-OC group layout ({@link io.djlint4.quant.weight.QuantizedWeights}) or AdaDim's per-IC layout
 * ({@link io.djlint4.quant.weight.PerIcQuantizedWeights}, §6.2).
 */
package io.djlint4.quant.weight;
