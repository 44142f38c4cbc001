package io.djlint4.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDArrayIndexer;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.recurrent.RNN;

import java.util.List;

/**
 * The internal operations of an {@link Int4NDArray}. {@code NDArrays.concat/stack/where} and
 * indexing reach arrays through this interface, so those run natively; in-place reverse
 * division too. Network layers, pooling, optimisers and image operations run on the alternative
 * engine (each call copies the array there and returns its arrays).
 */
final class Int4NDArrayEx implements NDArrayEx {

    private final Int4NDArray array;

    /**
     * Creates the operations of one array.
     *
     * @param array the array
     */
    Int4NDArrayEx(Int4NDArray array) {
        this.array = array;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray getArray() {
        return array;
    }

    /** {@inheritDoc} */
    @Override
    public NDArrayIndexer getIndexer(NDManager manager) {
        return new Int4NDArrayIndexer(manager);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray concat(NDList arrays, int axis) {
        return array.concat(arrays, axis);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray stack(NDList arrays, int axis) {
        return array.stack(arrays, axis);
    }

    /** Returns {@code condition ? array : other}, promoting types like {@code torch.where}. */
    @Override
    public NDArray where(NDArray condition, NDArray other) {
        DenseTensor a = array.tensor();
        DenseTensor b = Int4NDArray.tensorOf(other);
        DataType type =
                TypePromotion.resultType(a.dataType(), a.rank() == 0, b.dataType(), b.rank() == 0);
        return array.result(
                ElementwiseKernels.where(Int4NDArray.tensorOf(condition), a, b, type));
    }

    /** Computes {@code array = b / array} in place. */
    @Override
    public NDArray rdivi(NDArray b) {
        NDArray quotient = b.div(array);
        try {
            if (quotient.getDataType() != array.getDataType()) {
                throw new IllegalArgumentException(
                        "result type "
                                + quotient.getDataType()
                                + " can't be cast to the desired output type "
                                + array.getDataType());
            }
            array.set(quotient.toByteBuffer());
        } finally {
            quotient.close();
        }
        return array;
    }

    /** In-place reverse modulo is not supported (in-place operations cannot fall back). */
    @Override
    public NDArray rmodi(NDArray b) {
        throw new UnsupportedOperationException("Int4 does not support in-place rmod");
    }

    /** In-place reverse power is not supported (in-place operations cannot fall back). */
    @Override
    public NDArray rpowi(Number n) {
        throw new UnsupportedOperationException("Int4 does not support in-place rpow");
    }

    /** {@inheritDoc} */
    @Override
    public NDArray relu() {
        return fallback().relu();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray sigmoid() {
        return fallback().sigmoid();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray tanh() {
        return fallback().tanh();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray softPlus() {
        return fallback().softPlus();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray softSign() {
        return fallback().softSign();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray leakyRelu(float alpha) {
        return fallback().leakyRelu(alpha);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray elu(float alpha) {
        return fallback().elu(alpha);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray selu() {
        return fallback().selu();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray gelu() {
        return fallback().gelu();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray maxPool(Shape kernelShape, Shape stride, Shape padding, boolean ceilMode) {
        return fallback().maxPool(kernelShape, stride, padding, ceilMode);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray globalMaxPool() {
        return fallback().globalMaxPool();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray avgPool(
            Shape kernelShape,
            Shape stride,
            Shape padding,
            boolean ceilMode,
            boolean countIncludePad) {
        return fallback().avgPool(kernelShape, stride, padding, ceilMode, countIncludePad);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray globalAvgPool() {
        return fallback().globalAvgPool();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray lpPool(
            float normType,
            Shape kernelShape,
            Shape stride,
            Shape padding,
            boolean ceilMode) {
        return fallback().lpPool(normType, kernelShape, stride, padding, ceilMode);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray globalLpPool(float normType) {
        return fallback().globalLpPool(normType);
    }

    /** {@inheritDoc} */
    @Override
    public void adadeltaUpdate(
            NDList inputs,
            NDList weights,
            float weightDecay,
            float rescaleGrad,
            float clipGrad,
            float rho,
            float epsilon) {
        fallback()
                .adadeltaUpdate(
                        inputs,
                        weights,
                        weightDecay,
                        rescaleGrad,
                        clipGrad,
                        rho,
                        epsilon);
    }

    /** {@inheritDoc} */
    @Override
    public void adagradUpdate(
            NDList inputs,
            NDList weights,
            float learningRate,
            float weightDecay,
            float rescaleGrad,
            float clipGrad,
            float epsilon) {
        fallback()
                .adagradUpdate(
                        inputs,
                        weights,
                        learningRate,
                        weightDecay,
                        rescaleGrad,
                        clipGrad,
                        epsilon);
    }

    /** {@inheritDoc} */
    @Override
    public void adamUpdate(
            NDList inputs,
            NDList weights,
            float learningRate,
            float learningRateBiasCorrection,
            float weightDecay,
            float rescaleGrad,
            float clipGrad,
            float beta1,
            float beta2,
            float epsilon,
            boolean lazyUpdate,
            boolean adamw) {
        fallback()
                .adamUpdate(
                        inputs,
                        weights,
                        learningRate,
                        learningRateBiasCorrection,
                        weightDecay,
                        rescaleGrad,
                        clipGrad,
                        beta1,
                        beta2,
                        epsilon,
                        lazyUpdate,
                        adamw);
    }

    /** {@inheritDoc} */
    @Override
    public void nagUpdate(
            NDList inputs,
            NDList weights,
            float learningRate,
            float weightDecay,
            float rescaleGrad,
            float clipGrad,
            float momentum) {
        fallback()
                .nagUpdate(
                        inputs,
                        weights,
                        learningRate,
                        weightDecay,
                        rescaleGrad,
                        clipGrad,
                        momentum);
    }

    /** {@inheritDoc} */
    @Override
    public void rmspropUpdate(
            NDList inputs,
            NDList weights,
            float learningRate,
            float weightDecay,
            float rescaleGrad,
            float clipGrad,
            float rho,
            float momentum,
            float epsilon,
            boolean centered) {
        fallback()
                .rmspropUpdate(
                        inputs,
                        weights,
                        learningRate,
                        weightDecay,
                        rescaleGrad,
                        clipGrad,
                        rho,
                        momentum,
                        epsilon,
                        centered);
    }

    /** {@inheritDoc} */
    @Override
    public void sgdUpdate(
            NDList inputs,
            NDList weights,
            float learningRate,
            float weightDecay,
            float rescaleGrad,
            float clipGrad,
            float momentum,
            boolean lazyUpdate) {
        fallback()
                .sgdUpdate(
                        inputs,
                        weights,
                        learningRate,
                        weightDecay,
                        rescaleGrad,
                        clipGrad,
                        momentum,
                        lazyUpdate);
    }

    /** {@inheritDoc} */
    @Override
    public NDList convolution(
            NDArray input,
            NDArray weight,
            NDArray bias,
            Shape stride,
            Shape padding,
            Shape dilation,
            int groups) {
        return fallback().convolution(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@inheritDoc} */
    @Override
    public NDList deconvolution(
            NDArray input,
            NDArray weight,
            NDArray bias,
            Shape stride,
            Shape padding,
            Shape outPadding,
            Shape dilation,
            int groups) {
        return fallback()
                .deconvolution(
                        input,
                        weight,
                        bias,
                        stride,
                        padding,
                        outPadding,
                        dilation,
                        groups);
    }

    /** {@inheritDoc} */
    @Override
    public NDList linear(NDArray input, NDArray weight, NDArray bias) {
        return fallback().linear(input, weight, bias);
    }

    /** {@inheritDoc} */
    @Override
    public NDList embedding(NDArray input, NDArray weight, SparseFormat sparse) {
        return fallback().embedding(input, weight, sparse);
    }

    /** {@inheritDoc} */
    @Override
    public NDList prelu(NDArray input, NDArray alpha) {
        return fallback().prelu(input, alpha);
    }

    /** {@inheritDoc} */
    @Override
    public NDList dropout(NDArray input, float rate, boolean training) {
        return fallback().dropout(input, rate, training);
    }

    /** {@inheritDoc} */
    @Override
    public NDList layerNorm(
            NDArray input,
            Shape normalizedShape,
            NDArray gamma,
            NDArray beta,
            float eps) {
        return fallback().layerNorm(input, normalizedShape, gamma, beta, eps);
    }

    /** {@inheritDoc} */
    @Override
    public NDList batchNorm(
            NDArray input,
            NDArray runningMean,
            NDArray runningVar,
            NDArray gamma,
            NDArray beta,
            int axis,
            float momentum,
            float eps,
            boolean training) {
        return fallback()
                .batchNorm(
                        input,
                        runningMean,
                        runningVar,
                        gamma,
                        beta,
                        axis,
                        momentum,
                        eps,
                        training);
    }

    /** {@inheritDoc} */
    @Override
    public NDList rnn(
            NDArray input,
            NDArray state,
            NDList params,
            boolean hasBiases,
            int numLayers,
            RNN.Activation activation,
            double dropRate,
            boolean training,
            boolean bidirectional,
            boolean batchFirst) {
        return fallback()
                .rnn(
                        input,
                        state,
                        params,
                        hasBiases,
                        numLayers,
                        activation,
                        dropRate,
                        training,
                        bidirectional,
                        batchFirst);
    }

    /** {@inheritDoc} */
    @Override
    public NDList gru(
            NDArray input,
            NDArray state,
            NDList params,
            boolean hasBiases,
            int numLayers,
            double dropRate,
            boolean training,
            boolean bidirectional,
            boolean batchFirst) {
        return fallback()
                .gru(
                        input,
                        state,
                        params,
                        hasBiases,
                        numLayers,
                        dropRate,
                        training,
                        bidirectional,
                        batchFirst);
    }

    /** {@inheritDoc} */
    @Override
    public NDList lstm(
            NDArray input,
            NDList states,
            NDList params,
            boolean hasBiases,
            int numLayers,
            double dropRate,
            boolean training,
            boolean bidirectional,
            boolean batchFirst) {
        return fallback()
                .lstm(
                        input,
                        states,
                        params,
                        hasBiases,
                        numLayers,
                        dropRate,
                        training,
                        bidirectional,
                        batchFirst);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray interpolation(long[] size, int mode, boolean alignCorners) {
        return fallback().interpolation(size, mode, alignCorners);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray resize(int width, int height, int interpolation) {
        return fallback().resize(width, height, interpolation);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray randomFlipLeftRight() {
        return fallback().randomFlipLeftRight();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray randomFlipTopBottom() {
        return fallback().randomFlipTopBottom();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray randomBrightness(float brightness) {
        return fallback().randomBrightness(brightness);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray randomHue(float hue) {
        return fallback().randomHue(hue);
    }

    /** {@inheritDoc} */
    @Override
    public NDArray randomColorJitter(
            float brightness,
            float contrast,
            float saturation,
            float hue) {
        return fallback().randomColorJitter(brightness, contrast, saturation, hue);
    }

    /** {@inheritDoc} */
    @Override
    public NDList multiBoxTarget(
            NDList inputs,
            float iouThreshold,
            float ignoreLabel,
            float negativeMiningRatio,
            float negativeMiningThreshold,
            int minNegativeSamples) {
        return fallback()
                .multiBoxTarget(
                        inputs,
                        iouThreshold,
                        ignoreLabel,
                        negativeMiningRatio,
                        negativeMiningThreshold,
                        minNegativeSamples);
    }

    /** {@inheritDoc} */
    @Override
    public NDList multiBoxPrior(
            List<Float> sizes,
            List<Float> ratios,
            List<Float> steps,
            List<Float> offsets,
            boolean clip) {
        return fallback().multiBoxPrior(sizes, ratios, steps, offsets, clip);
    }

    /** {@inheritDoc} */
    @Override
    public NDList multiBoxDetection(
            NDList inputs,
            boolean clip,
            float threshold,
            int backgroundId,
            float nmsThreshold,
            boolean forceSuppress,
            int nmsTopK) {
        return fallback()
                .multiBoxDetection(
                        inputs,
                        clip,
                        threshold,
                        backgroundId,
                        nmsThreshold,
                        forceSuppress,
                        nmsTopK);
    }

    private NDArrayEx fallback() {
        return array.alternativeInternal();
    }
}
