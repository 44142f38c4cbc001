/**
 * The 4-bit KV cache of the {@code kv4} recipe token (ALGORITHMS.md §3.7): keys and values
 * rounded per token to a symmetric INT4 grid before they enter the cache. This is the reference
 * (fake-quantized) form: the cache still holds float32 values, all on the grid, because DJL's
 * generation loop exchanges float arrays; packing the codes ({@link io.djlint4.kernels.Int4KvCache})
 * is a storage optimization that would not change a single logit.
 */
package io.djlint4.quant.kv;
