/**
 * Quantization recipes: the {@code +}-joined recipe grammar ({@code w4a4+rrs+gptq+kv4}) shared by
 * {@code Criteria} options, {@code serving.properties}, the command line and tests, and the code
 * that turns a full-precision model into a quantized one.
 */
package io.djlint4.quant;
