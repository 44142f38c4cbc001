package io.djlint4.engine;

import ai.djl.ndarray.types.DataType;

/**
 * PyTorch's result-type rules for the operand combinations Int4 computes natively.
 *
 * <p>DJL's PyTorch engine turns a {@code Number} operand into a zero-dimensional tensor, so the
 * rule for zero-dimensional tensors applies: such an operand only changes the result type when it
 * belongs to a higher category (bool &lt; integer &lt; floating) than the dimensioned operand.
 */
final class TypePromotion {

    private TypePromotion() {}

    /**
     * Returns the type of the zero-dimensional tensor DJL creates for a Java number.
     *
     * @param value the number
     * @return its data type
     */
    static DataType scalarType(Number value) {
        if (value instanceof Integer) {
            return DataType.INT32;
        } else if (value instanceof Long) {
            return DataType.INT64;
        } else if (value instanceof Float) {
            return DataType.FLOAT32;
        } else if (value instanceof Double) {
            return DataType.FLOAT64;
        } else if (value instanceof Byte) {
            return DataType.INT8;
        }
        throw new IllegalArgumentException(
                value.getClass().getSimpleName() + " conversion not supported!");
    }

    /**
     * Returns the result type of a binary operation between two tensors.
     *
     * @param a the first operand's type
     * @param aZeroDim whether the first operand has no dimensions
     * @param b the second operand's type
     * @param bZeroDim whether the second operand has no dimensions
     * @return the result type
     */
    static DataType resultType(DataType a, boolean aZeroDim, DataType b, boolean bZeroDim) {
        if (aZeroDim == bZeroDim) {
            return promote(a, b);
        }
        DataType dimensioned = aZeroDim ? b : a;
        DataType zeroDim = aZeroDim ? a : b;
        return category(zeroDim) > category(dimensioned) ? zeroDim : dimensioned;
    }

    /**
     * Returns the standard promotion of two types.
     *
     * @param a the first type
     * @param b the second type
     * @return the promoted type (INT16 for INT8 with UINT8, which Int4 does not store)
     */
    static DataType promote(DataType a, DataType b) {
        if (a == b) {
            return a;
        }
        int ca = category(a);
        int cb = category(b);
        if (ca != cb) {
            return ca > cb ? a : b;
        }
        if (ca == 1 && a.getNumOfBytes() == 1 && b.getNumOfBytes() == 1) {
            return DataType.INT16;
        }
        if (a.getNumOfBytes() == b.getNumOfBytes()) {
            // same width, different signedness: the signed wider type holds both
            return a == DataType.UINT8 || a == DataType.UINT32 || a == DataType.UINT64 ? b : a;
        }
        return a.getNumOfBytes() > b.getNumOfBytes() ? a : b;
    }

    /**
     * Returns the type true division produces from a promoted operand type.
     *
     * @param promoted the promoted operand type
     * @return the promoted type if floating, else FLOAT32 (PyTorch's default type)
     */
    static DataType trueDivision(DataType promoted) {
        return promoted.isFloating() ? promoted : DataType.FLOAT32;
    }

    /**
     * Returns the type of a floating unary function (exp, log, sqrt) of a given input.
     *
     * @param input the input type
     * @return the input type if floating, else FLOAT32
     */
    static DataType floatingResult(DataType input) {
        return input.isFloating() ? input : DataType.FLOAT32;
    }

    /**
     * Returns whether a computed result type may be stored into an array of another type in
     * place (PyTorch refuses to store a result of a higher category).
     *
     * @param result the computed type
     * @param target the in-place target type
     * @return true if allowed
     */
    static boolean canCastInPlace(DataType result, DataType target) {
        return category(result) <= category(target);
    }

    /**
     * Returns the category of a type: 0 bool, 1 integer, 2 floating.
     *
     * @param type the type
     * @return the category
     */
    static int category(DataType type) {
        if (type.isBoolean()) {
            return 0;
        }
        return type.isFloating() ? 2 : 1;
    }
}
