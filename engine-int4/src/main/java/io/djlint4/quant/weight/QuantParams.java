package io.djlint4.quant.weight;

/**
 * The parameters of a uniform integer grid: {@code value = (code - zero) * scale}.
 *
 * @param scale the step between codes
 * @param zero the code that stands for 0 (0 for symmetric grids)
 */
public record QuantParams(float scale, int zero) {}
