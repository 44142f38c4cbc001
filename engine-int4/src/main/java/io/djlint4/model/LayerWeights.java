package io.djlint4.model;

/**
 * Full-precision weights of one decoder layer. Matrices are row-major {@code [out, in]} as in
 * PyTorch. Query and key rows are in the rotate-half rope layout (Hugging Face); loaders of
 * interleaved-pair checkpoints (llama2.c, GGUF llama) permute them on load.
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
        float[] wDown) {}
