/**
 * Runtime Smooth (RRS paper, ALGORITHMS.md §4): activation channels divided by their maxima over
 * the current call before per-token quantization, the maxima multiplied back after the product.
 */
package io.djlint4.quant.smooth;
