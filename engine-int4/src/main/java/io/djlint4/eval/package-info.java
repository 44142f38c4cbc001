/**
 * Accuracy evaluation of a model on text: perplexity over fixed windows, and the KL divergence and
 * top-1 agreement of a (quantized) model against a full-precision reference.
 */
package io.djlint4.eval;
