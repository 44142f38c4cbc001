/**
 * The format-independent model: configuration, full-precision weights in one canonical layout, and
 * the decoder forward pass with its KV cache.
 */
package io.djlint4.model;
