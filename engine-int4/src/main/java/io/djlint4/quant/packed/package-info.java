/**
 * Quantized projections run on the packed kernels: the codes and grids a weight quantizer produced
 * (RTN, GPTQ, AdaDim) packed two per byte, and each linear input quantized per token (or runtime
 * smoothed, then quantized) for the integer products of {@link io.djlint4.kernels}. These layers
 * compute what {@link io.djlint4.quant.SimulatedQuantLinear} computes, up to float summation
 * order, in a quarter of the weight memory.
 */
package io.djlint4.quant.packed;
