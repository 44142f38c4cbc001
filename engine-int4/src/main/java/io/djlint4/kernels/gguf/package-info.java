/**
 * GGUF weights run as they are in the file: one self-contained unit per GGML block type (its
 * layout, scalar dequantize reference and row products, see {@link
 * io.djlint4.kernels.gguf.BlockFormat}), and the matrix product over a tensor of such blocks.
 */
package io.djlint4.kernels.gguf;
