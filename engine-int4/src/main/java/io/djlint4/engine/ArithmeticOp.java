package io.djlint4.engine;

/** The element-wise binary arithmetic Int4 computes natively. */
enum ArithmeticOp {
    ADD {
        @Override
        double apply(double a, double b) {
            return a + b;
        }

        @Override
        long apply(long a, long b) {
            return a + b;
        }
    },
    SUB {
        @Override
        double apply(double a, double b) {
            return a - b;
        }

        @Override
        long apply(long a, long b) {
            return a - b;
        }
    },
    MUL {
        @Override
        double apply(double a, double b) {
            return a * b;
        }

        @Override
        long apply(long a, long b) {
            return a * b;
        }
    },
    /** True division; the integer form is never used because the result type is floating. */
    DIV {
        @Override
        double apply(double a, double b) {
            return a / b;
        }

        @Override
        long apply(long a, long b) {
            throw new IllegalStateException("true division is computed in floating point");
        }
    },
    MAXIMUM {
        @Override
        double apply(double a, double b) {
            return Math.max(a, b);
        }

        @Override
        long apply(long a, long b) {
            return Math.max(a, b);
        }
    },
    MINIMUM {
        @Override
        double apply(double a, double b) {
            return Math.min(a, b);
        }

        @Override
        long apply(long a, long b) {
            return Math.min(a, b);
        }
    };

    /**
     * Applies the operation in floating point.
     *
     * @param a the left operand
     * @param b the right operand
     * @return the result
     */
    abstract double apply(double a, double b);

    /**
     * Applies the operation on integers (wrapping like two's complement hardware).
     *
     * @param a the left operand
     * @param b the right operand
     * @return the result
     */
    abstract long apply(long a, long b);
}
