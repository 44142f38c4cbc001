package io.djlint4.engine;

/** The element-wise comparisons Int4 computes natively; results are BOOLEAN. */
enum ComparisonOp {
    EQ {
        @Override
        boolean test(double a, double b) {
            return a == b;
        }

        @Override
        boolean test(long a, long b) {
            return a == b;
        }
    },
    NEQ {
        @Override
        boolean test(double a, double b) {
            return a != b;
        }

        @Override
        boolean test(long a, long b) {
            return a != b;
        }
    },
    GT {
        @Override
        boolean test(double a, double b) {
            return a > b;
        }

        @Override
        boolean test(long a, long b) {
            return a > b;
        }
    },
    GTE {
        @Override
        boolean test(double a, double b) {
            return a >= b;
        }

        @Override
        boolean test(long a, long b) {
            return a >= b;
        }
    },
    LT {
        @Override
        boolean test(double a, double b) {
            return a < b;
        }

        @Override
        boolean test(long a, long b) {
            return a < b;
        }
    },
    LTE {
        @Override
        boolean test(double a, double b) {
            return a <= b;
        }

        @Override
        boolean test(long a, long b) {
            return a <= b;
        }
    };

    /**
     * Compares in floating point (IEEE semantics: NaN compares unequal to everything).
     *
     * @param a the left operand
     * @param b the right operand
     * @return the comparison result
     */
    abstract boolean test(double a, double b);

    /**
     * Compares integers.
     *
     * @param a the left operand
     * @param b the right operand
     * @return the comparison result
     */
    abstract boolean test(long a, long b);
}
