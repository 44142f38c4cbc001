package io.djlint4.model;

/**
 * What one decoder call produces.
 *
 * @param logits {@code [batch, logitPositions, vocab]}
 * @param logitPositions the number of positions per sequence that have logits ({@code seqLen} or 1)
 * @param present the cache extended by this call's keys and values
 * @param hidden the last layer's output after the final norm, {@code [batch, seqLen, hidden]}
 */
public record ForwardResult(float[] logits, int logitPositions, KvCache present, float[] hidden) {}
