package io.djlint4.kernels;

/**
 * The finite field GF(p^k) for the small prime powers the Paley constructions need. Elements are
 * the integers {@code 0 .. q−1}, read as base-p digit vectors = polynomial coefficients (lowest
 * digit = constant term), multiplied modulo the first monic irreducible polynomial of degree k.
 */
final class GaloisField {

    final int p;
    final int k;
    final int q;
    private final int[] modulus;

    private GaloisField(int p, int k) {
        this.p = p;
        this.k = k;
        int size = 1;
        for (int i = 0; i < k; i++) {
            size *= p;
        }
        this.q = size;
        this.modulus = k == 1 ? null : firstIrreducible(p, k);
    }

    /**
     * Returns the field of order {@code q}, or {@code null} when {@code q} is not a prime power or
     * needs a polynomial of degree above 3 (not needed for any order we build).
     *
     * @param q the order
     * @return the field or {@code null}
     */
    static GaloisField ofOrder(int q) {
        if (q < 2) {
            return null;
        }
        int p = 2;
        while (q % p != 0) {
            p++;
        }
        int k = 0;
        int rest = q;
        while (rest % p == 0) {
            rest /= p;
            k++;
        }
        return rest == 1 && k <= 3 ? new GaloisField(p, k) : null;
    }

    /** A monic polynomial of degree 2 or 3 is irreducible iff it has no root; return coefficients c0..c(k−1). */
    private static int[] firstIrreducible(int p, int k) {
        int combos = (int) Math.pow(p, k);
        for (int code = 0; code < combos; code++) {
            int[] c = new int[k];
            for (int i = 0, v = code; i < k; i++, v /= p) {
                c[i] = v % p;
            }
            boolean root = false;
            for (int x = 0; x < p && !root; x++) {
                long val = 1;
                for (int i = k - 1; i >= 0; i--) {
                    val = (val * x + c[i]) % p;
                }
                root = val == 0;
            }
            if (!root) {
                return c;
            }
        }
        throw new IllegalStateException("no irreducible polynomial of degree " + k + " over GF(" + p + ")");
    }

    int sub(int a, int b) {
        int r = 0;
        for (int i = 0, scale = 1; i < k; i++, scale *= p, a /= p, b /= p) {
            r += Math.floorMod(a % p - b % p, p) * scale;
        }
        return r;
    }

    int mul(int a, int b) {
        if (k == 1) {
            return a * b % p;
        }
        int[] x = digits(a);
        int[] y = digits(b);
        int[] prod = new int[2 * k - 1];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                prod[i + j] = (prod[i + j] + x[i] * y[j]) % p;
            }
        }
        // x^k = −(c0 + c1·x + … ): reduce from the top degree down.
        for (int d = 2 * k - 2; d >= k; d--) {
            int top = prod[d];
            prod[d] = 0;
            for (int i = 0; i < k; i++) {
                prod[d - k + i] = Math.floorMod(prod[d - k + i] - top * modulus[i], p);
            }
        }
        int r = 0;
        for (int i = k - 1; i >= 0; i--) {
            r = r * p + prod[i];
        }
        return r;
    }

    private int[] digits(int a) {
        int[] d = new int[k];
        for (int i = 0; i < k; i++, a /= p) {
            d[i] = a % p;
        }
        return d;
    }

    /**
     * Returns the quadratic character of every element: 0 for 0, +1 for nonzero squares, −1 else.
     *
     * @return χ indexed by element
     */
    int[] quadraticCharacter() {
        int[] chi = new int[q];
        for (int a = 1; a < q; a++) {
            chi[a] = -1;
        }
        for (int a = 1; a < q; a++) {
            chi[mul(a, a)] = 1;
        }
        return chi;
    }
}
