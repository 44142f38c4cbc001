package io.djlint4.engine;

import ai.djl.ndarray.types.DataType;

import java.util.Arrays;

/**
 * Matrix products with {@code torch.matmul} semantics (1-D operands, broadcast batch axes) and
 * {@code torch.bmm}. FLOAT32 accumulates in float like BLAS; other types use double or long.
 */
final class MatMulKernels {

    private MatMulKernels() {}

    /**
     * Multiplies like {@code torch.matmul}.
     *
     * @param a the left operand (rank &ge; 1)
     * @param b the right operand (rank &ge; 1), same type
     * @return the product
     */
    static DenseTensor matMul(DenseTensor a, DenseTensor b) {
        checkSameType(a, b);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("scalar is not allowed for matMul()");
        }
        long[] aDims = a.rank() == 1 ? new long[] {1, a.dims()[0]} : a.dims();
        long[] bDims = b.rank() == 1 ? new long[] {b.dims()[0], 1} : b.dims();
        long[] aBatch = Arrays.copyOf(aDims, aDims.length - 2);
        long[] bBatch = Arrays.copyOf(bDims, bDims.length - 2);
        long[] batch = ShapeMath.broadcast(aBatch, bBatch);
        long m = aDims[aDims.length - 2];
        long k = aDims[aDims.length - 1];
        long n = bDims[bDims.length - 1];
        if (bDims[bDims.length - 2] != k) {
            throw new IllegalArgumentException(
                    "mat1 and mat2 shapes cannot be multiplied ("
                            + m
                            + "x"
                            + k
                            + " and "
                            + bDims[bDims.length - 2]
                            + "x"
                            + n
                            + ")");
        }
        long[] outDims = Arrays.copyOf(batch, batch.length + 2);
        outDims[batch.length] = m;
        outDims[batch.length + 1] = n;
        Storage out = multiply(a.storage(), aBatch, b.storage(), bBatch, batch, m, k, n);
        long[] resultDims = outDims;
        if (a.rank() == 1) {
            resultDims = ShapeMath.without(resultDims, resultDims.length - 2);
        }
        if (b.rank() == 1) {
            resultDims = ShapeMath.without(resultDims, resultDims.length - 1);
        }
        return new DenseTensor(out, resultDims);
    }

    /**
     * Multiplies batches of matrices like {@code torch.bmm}: [B, m, k] x [B, k, n].
     *
     * @param a the left batch
     * @param b the right batch, same type
     * @return the [B, m, n] product
     */
    static DenseTensor batchMatMul(DenseTensor a, DenseTensor b) {
        if (a.rank() != 3 || b.rank() != 3) {
            throw new IllegalArgumentException(
                    "batch1 and batch2 must be 3D tensors, got "
                            + ShapeMath.describe(a.dims())
                            + " and "
                            + ShapeMath.describe(b.dims()));
        }
        if (a.dims()[0] != b.dims()[0]) {
            throw new IllegalArgumentException(
                    "batch1 and batch2 must have same number of batches");
        }
        return matMul(a, b);
    }

    private static void checkSameType(DenseTensor a, DenseTensor b) {
        if (a.dataType() != b.dataType()) {
            throw new IllegalArgumentException(
                    "expected m1 and m2 to have the same dtype, but got: "
                            + a.dataType()
                            + " != "
                            + b.dataType());
        }
    }

    private static Storage multiply(
            Storage a,
            long[] aBatch,
            Storage b,
            long[] bBatch,
            long[] batch,
            long m,
            long k,
            long n) {
        int matrices = ShapeMath.size(batch);
        int aSize = (int) (m * k);
        int bSize = (int) (k * n);
        int outSize = (int) (m * n);
        Storage out = Storage.allocate(a.dataType(), matrices * outSize);
        StridedCursor aCursor = scaledCursor(batch, aBatch, aSize);
        StridedCursor bCursor = scaledCursor(batch, bBatch, bSize);
        for (int t = 0; t < matrices; t++) {
            multiplyOne(a, aCursor.offset(), b, bCursor.offset(), out, t * outSize, m, k, n);
            aCursor.advance();
            bCursor.advance();
        }
        return out;
    }

    /** Walks the broadcast batch axes, tracking the first element of an operand's matrix. */
    private static StridedCursor scaledCursor(long[] batch, long[] operandBatch, int matrixSize) {
        int[] strides = ShapeMath.broadcastStrides(operandBatch, batch);
        for (int i = 0; i < strides.length; i++) {
            strides[i] *= matrixSize;
        }
        return new StridedCursor(batch, strides, 0);
    }

    private static void multiplyOne(
            Storage a,
            int aOff,
            Storage b,
            int bOff,
            Storage out,
            int outOff,
            long m,
            long k,
            long n) {
        int rows = (int) m;
        int inner = (int) k;
        int cols = (int) n;
        if (a.dataType() == DataType.FLOAT32) {
            float[] x = ((Storage.FloatStorage) a).values();
            float[] y = ((Storage.FloatStorage) b).values();
            float[] z = ((Storage.FloatStorage) out).values();
            for (int i = 0; i < rows; i++) {
                int row = outOff + i * cols;
                for (int p = 0; p < inner; p++) {
                    float xip = x[aOff + i * inner + p];
                    int yRow = bOff + p * cols;
                    for (int j = 0; j < cols; j++) {
                        z[row + j] += xip * y[yRow + j];
                    }
                }
            }
        } else if (a.isFloating()) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double sum = 0;
                    for (int p = 0; p < inner; p++) {
                        sum += a.getDouble(aOff + i * inner + p) * b.getDouble(bOff + p * cols + j);
                    }
                    out.setDouble(outOff + i * cols + j, sum);
                }
            }
        } else {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    long sum = 0;
                    for (int p = 0; p < inner; p++) {
                        sum += a.getLong(aOff + i * inner + p) * b.getLong(bOff + p * cols + j);
                    }
                    out.setLong(outOff + i * cols + j, sum);
                }
            }
        }
    }
}
