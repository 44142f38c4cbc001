package io.djlint4.engine;

import ai.djl.ndarray.types.DataType;

/**
 * Element-wise arithmetic, comparisons, unary functions and selection with numpy broadcasting.
 *
 * <p>Operands are first cast to the compute type (as PyTorch does), then combined in
 * {@code double} or {@code long}. For FLOAT32 the double result is rounded to float once, which
 * gives the correctly rounded float result for +, -, *, /.
 */
final class ElementwiseKernels {

    private ElementwiseKernels() {}

    /**
     * Computes {@code a op b} into a new tensor of the compute type.
     *
     * @param a the left operand
     * @param b the right operand
     * @param op the operation
     * @param compute the compute and result type
     * @return the result
     */
    static DenseTensor arithmetic(DenseTensor a, DenseTensor b, ArithmeticOp op, DataType compute) {
        long[] outDims = ShapeMath.broadcast(a.dims(), b.dims());
        Storage out = Storage.allocate(compute, ShapeMath.size(outDims));
        arithmeticInto(out, outDims, a, b, op, compute);
        return new DenseTensor(out, outDims);
    }

    /**
     * Computes {@code target op b} into the target's own storage.
     *
     * @param target the left operand, overwritten
     * @param b the right operand; must broadcast to the target's shape
     * @param op the operation
     * @param compute the compute type
     */
    static void arithmeticInPlace(
            DenseTensor target, DenseTensor b, ArithmeticOp op, DataType compute) {
        long[] outDims = ShapeMath.broadcast(target.dims(), b.dims());
        if (outDims.length != target.rank() || ShapeMath.size(outDims) != target.size()) {
            throw new IllegalArgumentException(
                    "output with shape "
                            + ShapeMath.describe(target.dims())
                            + " doesn't match the broadcast shape "
                            + ShapeMath.describe(outDims));
        }
        arithmeticInto(target.storage(), outDims, target, b, op, compute);
    }

    /**
     * Compares {@code a} and {@code b} element-wise.
     *
     * @param a the left operand
     * @param b the right operand
     * @param op the comparison
     * @param compute the type both operands are cast to before comparing
     * @return a BOOLEAN tensor
     */
    static DenseTensor compare(DenseTensor a, DenseTensor b, ComparisonOp op, DataType compute) {
        long[] outDims = ShapeMath.broadcast(a.dims(), b.dims());
        Storage out = Storage.allocate(DataType.BOOLEAN, ShapeMath.size(outDims));
        StridedCursor ca = StridedCursor.broadcasting(outDims, a.dims());
        StridedCursor cb = StridedCursor.broadcasting(outDims, b.dims());
        Storage sa = a.storage();
        Storage sb = b.storage();
        boolean floating = compute.isFloating();
        boolean single = compute == DataType.FLOAT32;
        for (int i = 0; i < out.size(); i++) {
            boolean result;
            if (floating) {
                double x = sa.getDouble(ca.offset());
                double y = sb.getDouble(cb.offset());
                result = single ? op.test((float) x, (float) y) : op.test(x, y);
            } else {
                result = op.test(sa.getLong(ca.offset()), sb.getLong(cb.offset()));
            }
            out.setLong(i, result ? 1 : 0);
            ca.advance();
            cb.advance();
        }
        return new DenseTensor(out, outDims);
    }

    /**
     * Applies a unary function into a new tensor.
     *
     * @param a the operand
     * @param op the function
     * @return the result, of type {@code op.resultType(a.dataType())}
     */
    static DenseTensor unary(DenseTensor a, UnaryOp op) {
        DataType resultType = op.resultType(a.dataType());
        Storage out = Storage.allocate(resultType, a.size());
        unaryInto(a.storage(), out, op, resultType);
        return new DenseTensor(out, a.dims());
    }

    /**
     * Applies a type-preserving unary function in place.
     *
     * @param a the operand, overwritten
     * @param op the function
     */
    static void unaryInPlace(DenseTensor a, UnaryOp op) {
        unaryInto(a.storage(), a.storage(), op, a.dataType());
    }

    /**
     * Selects {@code a} where the condition is true and {@code b} elsewhere.
     *
     * @param condition the condition (non-zero means true)
     * @param a the values where true
     * @param b the values where false
     * @param resultType the result type
     * @return the selection, broadcast over all three shapes
     */
    static DenseTensor where(
            DenseTensor condition, DenseTensor a, DenseTensor b, DataType resultType) {
        long[] outDims =
                ShapeMath.broadcast(condition.dims(), ShapeMath.broadcast(a.dims(), b.dims()));
        Storage out = Storage.allocate(resultType, ShapeMath.size(outDims));
        StridedCursor cc = StridedCursor.broadcasting(outDims, condition.dims());
        StridedCursor ca = StridedCursor.broadcasting(outDims, a.dims());
        StridedCursor cb = StridedCursor.broadcasting(outDims, b.dims());
        boolean floating = resultType.isFloating();
        for (int i = 0; i < out.size(); i++) {
            boolean pickA = condition.storage().getDouble(cc.offset()) != 0;
            Storage source = pickA ? a.storage() : b.storage();
            int offset = pickA ? ca.offset() : cb.offset();
            if (floating) {
                out.setDouble(i, source.getDouble(offset));
            } else {
                out.setLong(i, source.getLong(offset));
            }
            cc.advance();
            ca.advance();
            cb.advance();
        }
        return new DenseTensor(out, outDims);
    }

    private static void arithmeticInto(
            Storage out,
            long[] outDims,
            DenseTensor a,
            DenseTensor b,
            ArithmeticOp op,
            DataType compute) {
        if (tryFloatFastPath(out, a, b, op, compute)) {
            return;
        }
        StridedCursor ca = StridedCursor.broadcasting(outDims, a.dims());
        StridedCursor cb = StridedCursor.broadcasting(outDims, b.dims());
        Storage sa = a.storage();
        Storage sb = b.storage();
        boolean floating = compute.isFloating();
        boolean single = compute == DataType.FLOAT32;
        for (int i = 0; i < out.size(); i++) {
            if (floating) {
                double x = sa.getDouble(ca.offset());
                double y = sb.getDouble(cb.offset());
                double r = single ? (float) op.apply((float) x, (float) y) : op.apply(x, y);
                out.setDouble(i, r);
            } else {
                long r = op.apply(sa.getLong(ca.offset()), sb.getLong(cb.offset()));
                out.setLong(i, wrap(r, compute));
            }
            ca.advance();
            cb.advance();
        }
    }

    /**
     * Runs the common all-FLOAT32 case without broadcasting (or with a one-element right
     * operand) on the raw arrays.
     */
    private static boolean tryFloatFastPath(
            Storage out, DenseTensor a, DenseTensor b, ArithmeticOp op, DataType compute) {
        if (compute != DataType.FLOAT32
                || !(out instanceof Storage.FloatStorage)
                || !(a.storage() instanceof Storage.FloatStorage)
                || !(b.storage() instanceof Storage.FloatStorage)
                || a.size() != out.size()) {
            return false;
        }
        boolean sameShape = b.size() == out.size() && b.rank() <= a.rank();
        boolean scalar = b.size() == 1 && b.rank() <= a.rank();
        if (!sameShape && !scalar) {
            return false;
        }
        float[] x = ((Storage.FloatStorage) a.storage()).values();
        float[] y = ((Storage.FloatStorage) b.storage()).values();
        float[] z = ((Storage.FloatStorage) out).values();
        if (scalar) {
            float s = y[0];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) op.apply(x[i], s);
            }
        } else {
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) op.apply(x[i], y[i]);
            }
        }
        return true;
    }

    private static void unaryInto(Storage in, Storage out, UnaryOp op, DataType resultType) {
        if (resultType.isFloating()) {
            boolean single = resultType == DataType.FLOAT32;
            for (int i = 0; i < in.size(); i++) {
                double x = in.getDouble(i);
                out.setDouble(i, single ? op.apply((float) x) : op.apply(x));
            }
        } else {
            for (int i = 0; i < in.size(); i++) {
                out.setLong(i, op.apply(in.getLong(i)));
            }
        }
    }

    /**
     * Wraps an integer result to the width of the compute type.
     *
     * @param value the exact result
     * @param type the integer compute type
     * @return the wrapped value
     */
    static long wrap(long value, DataType type) {
        switch (type) {
            case INT32:
                return (int) value;
            case INT8:
                return (byte) value;
            case UINT8:
                return value & 0xFF;
            case BOOLEAN:
                return value != 0 ? 1 : 0;
            default:
                return value;
        }
    }
}
