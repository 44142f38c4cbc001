package io.djlint4.kernels;

/**
 * Builds ±1 Hadamard matrices ({@code H·Hᵀ = n·I}) of the orders rotation methods need, as
 * ALGORITHMS.md §3.5 describes: Sylvester for powers of two, Paley I for {@code q + 1} ({@code q ≡ 3
 * mod 4} a prime power), Paley II for {@code 2(q + 1)} ({@code q ≡ 1 mod 4}), and doubling. Covers
 * 12, 20, 28, 36, 40, 44, 52, 60, 76, 108, 140, 148, 152 and 344 (used for 11008 = 344·32 in place
 * of the Williamson order 172, which has no such construction).
 */
public final class HadamardMatrices {

    private HadamardMatrices() {}

    /**
     * Returns whether {@link #build} supports an order.
     *
     * @param order the order
     * @return {@code true} when a construction exists here
     */
    public static boolean canBuild(int order) {
        if (order == 1 || order == 2) {
            return true;
        }
        if (order < 1 || order % 4 != 0) {
            return false;
        }
        if (Integer.bitCount(order) == 1) {
            return true;
        }
        GaloisField one = GaloisField.ofOrder(order - 1);
        if (one != null && one.q % 4 == 3) {
            return true;
        }
        GaloisField two = GaloisField.ofOrder(order / 2 - 1);
        if (two != null && two.q % 4 == 1) {
            return true;
        }
        return canBuild(order / 2);
    }

    /**
     * Builds a Hadamard matrix.
     *
     * @param order the order
     * @return row-major {@code [order, order]} entries ±1
     * @throws IllegalArgumentException when no construction is known here
     */
    public static byte[] build(int order) {
        if (!canBuild(order)) {
            throw new IllegalArgumentException("no Hadamard construction for order " + order);
        }
        if (Integer.bitCount(order) == 1) {
            return sylvester(order);
        }
        GaloisField one = GaloisField.ofOrder(order - 1);
        if (one != null && one.q % 4 == 3) {
            return paleyI(one);
        }
        GaloisField two = GaloisField.ofOrder(order / 2 - 1);
        if (two != null && two.q % 4 == 1) {
            return paleyII(two);
        }
        return doubled(build(order / 2), order / 2);
    }

    private static byte[] sylvester(int n) {
        byte[] h = {1};
        for (int m = 1; m < n; m *= 2) {
            h = doubled(h, m);
        }
        return h;
    }

    /** {@code [[H, H], [H, −H]]}. */
    private static byte[] doubled(byte[] h, int m) {
        int n = 2 * m;
        byte[] d = new byte[n * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                byte v = h[i * m + j];
                d[i * n + j] = v;
                d[i * n + j + m] = v;
                d[(i + m) * n + j] = v;
                d[(i + m) * n + j + m] = (byte) -v;
            }
        }
        return d;
    }

    /** Jacobsthal matrix {@code Q[i][j] = χ(a_j − a_i)}. */
    private static int[][] jacobsthal(GaloisField f) {
        int[] chi = f.quadraticCharacter();
        int[][] qm = new int[f.q][f.q];
        for (int i = 0; i < f.q; i++) {
            for (int j = 0; j < f.q; j++) {
                qm[i][j] = chi[f.sub(j, i)];
            }
        }
        return qm;
    }

    /** {@code H = I + S}, {@code S = [[0, 1ᵀ], [−1, Q]]}. */
    private static byte[] paleyI(GaloisField f) {
        int[][] qm = jacobsthal(f);
        int n = f.q + 1;
        byte[] h = new byte[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int s;
                if (i == 0) {
                    s = j == 0 ? 0 : 1;
                } else if (j == 0) {
                    s = -1;
                } else {
                    s = qm[i - 1][j - 1];
                }
                h[i * n + j] = (byte) (s + (i == j ? 1 : 0));
            }
        }
        return h;
    }

    /** {@code C = [[0, 1ᵀ], [1, Q]]} with each entry replaced by a fixed 2×2 block. */
    private static byte[] paleyII(GaloisField f) {
        int[][] qm = jacobsthal(f);
        int m = f.q + 1;
        int n = 2 * m;
        byte[] h = new byte[n * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                int c = i == 0 ? (j == 0 ? 0 : 1) : (j == 0 ? 1 : qm[i - 1][j - 1]);
                int[] block;
                if (c == 0) {
                    block = new int[] {1, -1, -1, -1};
                } else if (c > 0) {
                    block = new int[] {1, 1, 1, -1};
                } else {
                    block = new int[] {-1, -1, -1, 1};
                }
                h[2 * i * n + 2 * j] = (byte) block[0];
                h[2 * i * n + 2 * j + 1] = (byte) block[1];
                h[(2 * i + 1) * n + 2 * j] = (byte) block[2];
                h[(2 * i + 1) * n + 2 * j + 1] = (byte) block[3];
            }
        }
        return h;
    }
}
