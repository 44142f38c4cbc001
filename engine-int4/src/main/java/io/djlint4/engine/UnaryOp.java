package io.djlint4.engine;

import ai.djl.ndarray.types.DataType;

/** The element-wise unary functions Int4 computes natively. */
enum UnaryOp {
    NEG(false) {
        @Override
        double apply(double x) {
            return -x;
        }

        @Override
        long apply(long x) {
            return -x;
        }
    },
    ABS(false) {
        @Override
        double apply(double x) {
            return Math.abs(x);
        }

        @Override
        long apply(long x) {
            return Math.abs(x);
        }
    },
    SQUARE(false) {
        @Override
        double apply(double x) {
            return x * x;
        }

        @Override
        long apply(long x) {
            return x * x;
        }
    },
    EXP(true) {
        @Override
        double apply(double x) {
            return Math.exp(x);
        }
    },
    LOG(true) {
        @Override
        double apply(double x) {
            return Math.log(x);
        }
    },
    SQRT(true) {
        @Override
        double apply(double x) {
            return Math.sqrt(x);
        }
    };

    private final boolean floatingOnly;

    UnaryOp(boolean floatingOnly) {
        this.floatingOnly = floatingOnly;
    }

    /**
     * Returns the result type for an input type: floating functions turn integers into FLOAT32,
     * the others keep the type.
     *
     * @param input the input type
     * @return the result type
     */
    DataType resultType(DataType input) {
        return floatingOnly ? TypePromotion.floatingResult(input) : input;
    }

    /**
     * Applies the function in floating point.
     *
     * @param x the operand
     * @return the result
     */
    abstract double apply(double x);

    /**
     * Applies the function on an integer; only called for functions that keep integer types.
     *
     * @param x the operand
     * @return the result
     */
    long apply(long x) {
        throw new IllegalStateException(name() + " is computed in floating point");
    }
}
