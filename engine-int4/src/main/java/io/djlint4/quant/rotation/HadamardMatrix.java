package io.djlint4.quant.rotation;

/**
 * Builds ±1 Hadamard matrices ({@code H·Hᵀ = n·I}) of the non-power-of-two orders that rotation
 * sizes factor into (§3.5 of ALGORITHMS.md): Paley I over a prime {@code q ≡ 3 (mod 4)} gives
 * order {@code q+1}; Paley II over a prime {@code q ≡ 1 (mod 4)} gives {@code 2(q+1)}; order 40
 * doubles 20.
 */
public final class HadamardMatrix {

    /** The orders this class builds, smallest first (1 is the trivial matrix). */
    static final int[] ORDERS = {1, 12, 20, 28, 36, 40, 44, 60, 76, 108, 140, 148, 152};

    private HadamardMatrix() {}

    /**
     * Returns whether {@link #of} can build a matrix of order {@code k}.
     *
     * @param k the order
     * @return {@code true} for the orders listed in {@link #ORDERS}
     */
    public static boolean buildable(int k) {
        for (int o : ORDERS) {
            if (o == k) {
                return true;
            }
        }
        return false;
    }

    /**
     * Builds the matrix of order {@code k}.
     *
     * @param k one of the buildable orders
     * @return row-major {@code [k, k]} entries ±1
     */
    public static int[] of(int k) {
        switch (k) {
            case 1:
                return new int[] {1};
            case 40:
                return doubled(of(20), 20);
            default:
                break;
        }
        if (!buildable(k)) {
            throw new IllegalArgumentException("no Hadamard construction of order " + k);
        }
        int q = k - 1;
        if (isPrime(q) && q % 4 == 3) {
            return paleyOne(q);
        }
        q = k / 2 - 1;
        if (k % 2 == 0 && isPrime(q) && q % 4 == 1) {
            return paleyTwo(q);
        }
        throw new IllegalStateException("order " + k + " is listed but has no construction");
    }

    /** Quadratic character of a mod the prime q: 0, +1 for squares, -1 otherwise. */
    private static int chi(int a, int q) {
        a = Math.floorMod(a, q);
        if (a == 0) {
            return 0;
        }
        long r = 1;
        long b = a;
        for (int e = (q - 1) / 2; e > 0; e >>= 1) {
            if ((e & 1) == 1) {
                r = r * b % q;
            }
            b = b * b % q;
        }
        return r == 1 ? 1 : -1;
    }

    /** Paley I: {@code H = I + S}, {@code S = [[0, 1ᵀ], [-1, Q]]} with Q the Jacobsthal matrix. */
    private static int[] paleyOne(int q) {
        int n = q + 1;
        int[] h = new int[n * n];
        for (int j = 1; j < n; j++) {
            h[j] = 1;
            h[j * n] = -1;
        }
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < q; j++) {
                h[(i + 1) * n + j + 1] = chi(j - i, q);
            }
        }
        for (int i = 0; i < n; i++) {
            h[i * n + i] += 1;
        }
        return h;
    }

    /**
     * Paley II: the symmetric {@code C = [[0, 1ᵀ], [1, Q]]} with each entry replaced by a 2×2
     * block.
     */
    private static int[] paleyTwo(int q) {
        int m = q + 1;
        int[] c = new int[m * m];
        for (int j = 1; j < m; j++) {
            c[j] = 1;
            c[j * m] = 1;
        }
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < q; j++) {
                c[(i + 1) * m + j + 1] = chi(j - i, q);
            }
        }
        int n = 2 * m;
        int[] h = new int[n * n];
        int[][] zero = {{1, -1}, {-1, -1}};
        int[][] plus = {{1, 1}, {1, -1}};
        int[][] minus = {{-1, -1}, {-1, 1}};
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                int v = c[i * m + j];
                int[][] block = v == 0 ? zero : v > 0 ? plus : minus;
                for (int a = 0; a < 2; a++) {
                    for (int b = 0; b < 2; b++) {
                        h[(2 * i + a) * n + 2 * j + b] = block[a][b];
                    }
                }
            }
        }
        return h;
    }

    private static int[] doubled(int[] h, int n) {
        int m = 2 * n;
        int[] out = new int[m * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int v = h[i * n + j];
                out[i * m + j] = v;
                out[i * m + j + n] = v;
                out[(i + n) * m + j] = v;
                out[(i + n) * m + j + n] = -v;
            }
        }
        return out;
    }

    private static boolean isPrime(int q) {
        if (q < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= q; d++) {
            if (q % d == 0) {
                return false;
            }
        }
        return true;
    }
}
