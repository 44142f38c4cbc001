package io.djlint4.model;

/**
 * Full-precision weights of one decoder layer. Matrices are row-major {@code [out, in]} as in
 * PyTorch. Query and key rows are in the rotate-half rope layout (Hugging Face); loaders of
 * interleaved-pair checkpoints (llama2.c, GGUF llama) permute them on load. A saved quantized
 * model holds its projections only packed: its seven projection matrices are {@code null} here.
 *
 * @param attnNorm RMSNorm gain before attention, {@code [hidden]}
 * @param wq query projection, {@code [heads*headDim, hidden]}
 * @param wk key projection, {@code [kvHeads*headDim, hidden]}
 * @param wv value projection, {@code [kvHeads*headDim, hidden]}
 * @param wo output projection, {@code [hidden, heads*headDim]}
 * @param bq query bias or {@code null}
 * @param bk key bias or {@code null}
 * @param bv value bias or {@code null}
 * @param qNorm per-head query RMSNorm gain {@code [headDim]} or {@code null}
 * @param kNorm per-head key RMSNorm gain {@code [headDim]} or {@code null}
 * @param ffnNorm RMSNorm gain before the MLP, {@code [hidden]}
 * @param wGate SwiGLU gate projection, {@code [intermediate, hidden]}
 * @param wUp SwiGLU up projection, {@code [intermediate, hidden]}
 * @param wDown SwiGLU down projection, {@code [hidden, intermediate]}
 */
public record LayerWeights(
        float[] attnNorm,
        float[] wq,
        float[] wk,
        float[] wv,
        float[] wo,
        float[] bq,
        float[] bk,
        float[] bv,
        float[] qNorm,
        float[] kNorm,
        float[] ffnNorm,
        float[] wGate,
        float[] wUp,
        float[] wDown) {

    /**
     * Returns the weight of one projection.
     *
     * @param kind the projection
     * @return its weight {@code [out, in]} (the stored array, not a copy), or {@code null} when
     *     the projection is held only packed
     */
    public float[] weight(LinearKind kind) {
        return switch (kind) {
            case Q -> wq;
            case K -> wk;
            case V -> wv;
            case O -> wo;
            case GATE -> wGate;
            case UP -> wUp;
            case DOWN -> wDown;
        };
    }

    /**
     * Returns the bias of one projection.
     *
     * @param kind the projection
     * @return its bias, or {@code null} (only q, k and v can have one)
     */
    public float[] bias(LinearKind kind) {
        return switch (kind) {
            case Q -> bq;
            case K -> bk;
            case V -> bv;
            default -> null;
        };
    }

    /**
     * Returns these weights with one projection's weight replaced, e.g. by its quantized form.
     *
     * @param kind the projection
     * @param weight the new weight, same shape
     * @return a copy sharing every other array
     */
    public LayerWeights withWeight(LinearKind kind, float[] weight) {
        if (weight.length != weight(kind).length) {
            throw new IllegalArgumentException(
                    kind.moduleName() + " weight has " + weight.length + " values, expected " + weight(kind).length);
        }
        return new LayerWeights(
                attnNorm,
                kind == LinearKind.Q ? weight : wq,
                kind == LinearKind.K ? weight : wk,
                kind == LinearKind.V ? weight : wv,
                kind == LinearKind.O ? weight : wo,
                bq,
                bk,
                bv,
                qNorm,
                kNorm,
                ffnNorm,
                kind == LinearKind.GATE ? weight : wGate,
                kind == LinearKind.UP ? weight : wUp,
                kind == LinearKind.DOWN ? weight : wDown);
    }
}
