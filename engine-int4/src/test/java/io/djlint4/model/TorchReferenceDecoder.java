package io.djlint4.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * An independent LLaMA/Qwen forward pass written with DJL NDArray operations, run on the PyTorch
 * engine as the oracle for the Int4 decoder. It follows the Hugging Face modelling code: rotate-half
 * rope, optional q/k/v bias and per-head q/k RMSNorm, grouped-query attention, SwiGLU.
 */
public final class TorchReferenceDecoder {

    private final ModelWeights w;
    private final NDManager manager;

    /**
     * Creates the reference for some weights.
     *
     * @param weights the weights
     * @param manager a PyTorch manager that owns every array created
     */
    public TorchReferenceDecoder(ModelWeights weights, NDManager manager) {
        this.w = weights;
        this.manager = manager;
    }

    /**
     * Returns the logits of every position of one unpadded sequence.
     *
     * @param ids the token ids
     * @return logits {@code [ids.length * vocab]}
     */
    public float[] logits(long[] ids) {
        ModelConfig c = w.config();
        int s = ids.length;
        int h = c.hiddenSize();
        NDArray embedding = matrix(w.tokenEmbedding(), c.vocabSize(), h);
        NDArray x = embedding.get(manager.create(ids));
        NDArray positions = manager.arange(0f, s, 1f).reshape(s, 1);
        NDArray invFreq = manager.create(RotaryEmbedding.frequencies(c)).reshape(1, -1);
        NDArray angles = positions.matMul(invFreq);
        NDArray cos = NDArrays.concat(new ai.djl.ndarray.NDList(angles.cos(), angles.cos()), 1);
        NDArray sin = NDArrays.concat(new ai.djl.ndarray.NDList(angles.sin(), angles.sin()), 1);
        NDArray causal = causalMask(s);
        for (LayerWeights lw : w.layers()) {
            NDArray xn = rmsNorm(x, lw.attnNorm(), c.rmsNormEps());
            NDArray q = linear(xn, lw.wq(), lw.bq(), c.qDim(), h);
            NDArray k = linear(xn, lw.wk(), lw.bk(), c.kvDim(), h);
            NDArray v = linear(xn, lw.wv(), lw.bv(), c.kvDim(), h);
            q = q.reshape(s, c.numHeads(), c.headDim()).transpose(1, 0, 2);
            k = k.reshape(s, c.numKvHeads(), c.headDim()).transpose(1, 0, 2);
            v = v.reshape(s, c.numKvHeads(), c.headDim()).transpose(1, 0, 2);
            if (lw.qNorm() != null) {
                q = rmsNorm(q, lw.qNorm(), c.rmsNormEps());
                k = rmsNorm(k, lw.kNorm(), c.rmsNormEps());
            }
            q = rope(q, cos, sin);
            k = rope(k, cos, sin);
            int group = c.numHeads() / c.numKvHeads();
            k = k.repeat(0, group);
            v = v.repeat(0, group);
            NDArray scores =
                    q.matMul(k.transpose(0, 2, 1)).div(Math.sqrt(c.headDim())).add(causal);
            NDArray attn = scores.softmax(-1).matMul(v);
            attn = attn.transpose(1, 0, 2).reshape(s, c.qDim());
            x = x.add(linear(attn, lw.wo(), null, h, c.qDim()));
            NDArray xf = rmsNorm(x, lw.ffnNorm(), c.rmsNormEps());
            NDArray gate = linear(xf, lw.wGate(), null, c.intermediateSize(), h);
            NDArray up = linear(xf, lw.wUp(), null, c.intermediateSize(), h);
            NDArray act = gate.mul(gate.neg().exp().add(1f).pow(-1f)).mul(up);
            x = x.add(linear(act, lw.wDown(), null, h, c.intermediateSize()));
        }
        x = rmsNorm(x, w.finalNorm(), c.rmsNormEps());
        return linear(x, w.lmHead(), null, c.vocabSize(), h).toFloatArray();
    }

    private NDArray matrix(float[] data, int rows, int cols) {
        return manager.create(data, new Shape(rows, cols));
    }

    private NDArray linear(NDArray x, float[] weight, float[] bias, int out, int in) {
        NDArray y = x.matMul(matrix(weight, out, in).transpose());
        return bias == null ? y : y.add(manager.create(bias));
    }

    private NDArray rmsNorm(NDArray x, float[] gain, double eps) {
        NDArray ms = x.mul(x).mean(new int[] {-1}, true);
        return x.mul(ms.add((float) eps).pow(-0.5f)).mul(manager.create(gain));
    }

    private static NDArray rope(NDArray x, NDArray cos, NDArray sin) {
        long d = x.getShape().get(2);
        NDArray first = x.get(":, :, :" + d / 2);
        NDArray second = x.get(":, :, " + d / 2 + ":");
        NDArray rotated = NDArrays.concat(new ai.djl.ndarray.NDList(second.neg(), first), 2);
        return x.mul(cos).add(rotated.mul(sin));
    }

    private NDArray causalMask(int s) {
        float[] m = new float[s * s];
        for (int i = 0; i < s; i++) {
            for (int j = i + 1; j < s; j++) {
                m[i * s + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(m, new Shape(s, s));
    }
}
