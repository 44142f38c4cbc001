/**
 * LLM-FP4 (ALGORITHMS.md §5): 4-bit floating-point weights with a searched real exponent bias per
 * output row, 4-bit floating-point linear inputs with a searched real bias per layer plus integer
 * per-channel exponent shifts folded into the weight columns, calibrated module by module on the
 * outputs of the already-quantized modules before it. Each layer's weights and inputs also choose
 * their format (E2M1, E3M0 or E1M2) by the same layer-output error.
 */
package io.djlint4.quant.fp4;
