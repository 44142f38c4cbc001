package io.djlint4.quant.rotation;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Orthogonal matrices in float64, row-major {@code double[d*d]}: orthonormalizing a matrix by
 * Householder QR, drawing uniformly random orthogonal matrices, and the orthogonal polar factor
 * that solves the Procrustes problem. Uses EJML's dense decompositions.
 */
public final class Orthonormalization {

    private Orthonormalization() {}

    /**
     * Returns {@code Q·diag(sign(diag(R)))} for {@code M = QR}: the orthogonal factor with the sign
     * ambiguity of QR removed ({@code sign(0) = +1}).
     *
     * @param m the matrix, row-major {@code [d, d]}
     * @param d the order
     * @return the orthogonal matrix
     */
    public static double[] of(double[] m, int d) {
        DMatrixRMaj a = DMatrixRMaj.wrap(d, d, m.clone());
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(d, d);
        if (!qr.decompose(a)) {
            throw new IllegalStateException("QR decomposition failed");
        }
        DMatrixRMaj q = qr.getQ(null, false);
        DMatrixRMaj r = qr.getR(null, false);
        double[] out = q.getData().clone();
        for (int j = 0; j < d; j++) {
            if (r.get(j, j) < 0) {
                for (int i = 0; i < d; i++) {
                    out[i * d + j] = -out[i * d + j];
                }
            }
        }
        return out;
    }

    /**
     * Draws an orthogonal matrix from the uniform (Haar) distribution: QR of a standard normal
     * matrix with the sign fix of {@link #of}.
     *
     * @param d the order
     * @param seed the random seed
     * @return the matrix
     */
    public static double[] random(int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] g = new double[d * d];
        for (int i = 0; i < g.length; i++) {
            g[i] = gaussian(rnd);
        }
        return of(g, d);
    }

    /**
     * Returns the orthogonal polar factor {@code U·Vᵀ} of {@code C = U·Σ·Vᵀ}: the orthogonal
     * {@code P} maximizing {@code trace(Pᵀ·C)}, which solves {@code min ‖Z·P − T‖} for {@code C =
     * Zᵀ·T}.
     *
     * @param c the matrix, row-major {@code [d, d]}
     * @param d the order
     * @return the polar factor
     */
    public static double[] polarFactor(double[] c, int d) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(d, d, true, true, false);
        if (!svd.decompose(DMatrixRMaj.wrap(d, d, c.clone()))) {
            throw new IllegalStateException("SVD did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj vt = svd.getV(null, true);
        DMatrixRMaj p = new DMatrixRMaj(d, d);
        org.ejml.dense.row.CommonOps_DDRM.mult(u, vt, p);
        return p.getData();
    }

    /**
     * Returns {@code max |(MᵀM − I)[i][j]|}, how far a matrix is from orthogonal.
     *
     * @param m the matrix, row-major {@code [d, d]}
     * @param d the order
     * @return the largest deviation
     */
    public static double orthogonalityError(double[] m, int d) {
        double worst = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += m[k * d + i] * m[k * d + j];
                }
                worst = Math.max(worst, Math.abs(s - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller: SplittableRandom has no nextGaussian on JDK 17.
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
