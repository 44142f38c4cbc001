package io.djlint4.quant.rptq;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Lloyd's k-means with k-means++ seeding and restarts, Euclidean distance, the run with the
 * smallest inertia kept. One random stream seeded once serves all restarts, so the same points,
 * cluster count and seed always give the same labels.
 */
public final class KMeans {

    private final int restarts;
    private final long seed;
    private final int maxIterations;

    /**
     * Creates the clusterer.
     *
     * @param restarts the number of independently seeded runs
     * @param seed the random seed
     * @param maxIterations the Lloyd iteration limit of one run
     */
    public KMeans(int restarts, long seed, int maxIterations) {
        if (restarts < 1 || maxIterations < 1) {
            throw new IllegalArgumentException(
                    "restarts and iterations must be positive, got " + restarts + " and " + maxIterations);
        }
        this.restarts = restarts;
        this.seed = seed;
        this.maxIterations = maxIterations;
    }

    /**
     * Clusters points.
     *
     * @param points the points, all of the same dimension
     * @param clusters the wanted number of clusters
     * @return one label per point in {@code [0, k)} with {@code k = min(clusters, distinct
     *     points)}; every label in that range is used
     */
    public int[] labels(double[][] points, int clusters) {
        if (points.length == 0 || clusters < 1) {
            throw new IllegalArgumentException(
                    "need at least one point and one cluster, got " + points.length + " and " + clusters);
        }
        double[][] p = canonical(points);
        int k = Math.min(clusters, distinct(p));
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] best = null;
        double bestInertia = Double.POSITIVE_INFINITY;
        for (int run = 0; run < restarts; run++) {
            int[] labels = lloyd(p, seedCentres(p, k, rnd));
            double inertia = inertia(p, labels, means(p, labels, k));
            if (inertia < bestInertia) {
                bestInertia = inertia;
                best = labels;
            }
        }
        return best;
    }

    /** Copies the points with -0.0 turned into 0.0, so equality agrees with distance zero. */
    private static double[][] canonical(double[][] points) {
        int dim = points[0].length;
        double[][] p = new double[points.length][];
        for (int i = 0; i < p.length; i++) {
            if (points[i].length != dim) {
                throw new IllegalArgumentException("point " + i + " has dimension " + points[i].length + ", not " + dim);
            }
            p[i] = new double[dim];
            for (int d = 0; d < dim; d++) {
                if (!Double.isFinite(points[i][d])) {
                    throw new IllegalArgumentException("point " + i + " is not finite: " + Arrays.toString(points[i]));
                }
                p[i][d] = points[i][d] + 0.0;
            }
        }
        return p;
    }

    private static int distinct(double[][] p) {
        Set<List<Double>> seen = new HashSet<>();
        for (double[] point : p) {
            seen.add(Arrays.stream(point).boxed().toList());
        }
        return seen.size();
    }

    /** k-means++: each next centre drawn with probability proportional to its squared distance. */
    private static double[][] seedCentres(double[][] p, int k, SplittableRandom rnd) {
        double[][] centres = new double[k][];
        centres[0] = p[rnd.nextInt(p.length)].clone();
        double[] d2 = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            d2[i] = distance2(p[i], centres[0]);
        }
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (double d : d2) {
                total += d;
            }
            double target = rnd.nextDouble() * total;
            int chosen = -1;
            double cumulative = 0;
            for (int i = 0; i < p.length; i++) {
                if (d2[i] == 0) {
                    continue;
                }
                chosen = i;
                cumulative += d2[i];
                if (cumulative > target) {
                    break;
                }
            }
            // k never exceeds the number of distinct points, so some point is still at a positive
            // distance from every centre and chosen is set.
            centres[c] = p[chosen].clone();
            for (int i = 0; i < p.length; i++) {
                d2[i] = Math.min(d2[i], distance2(p[i], centres[c]));
            }
        }
        return centres;
    }

    private int[] lloyd(double[][] p, double[][] centres) {
        int k = centres.length;
        int[] labels = new int[p.length];
        int[] previous = null;
        for (int it = 0; it < maxIterations; it++) {
            double[] dist = assign(p, centres, labels);
            fillEmptyClusters(labels, dist, k);
            centres = means(p, labels, k);
            if (previous != null && Arrays.equals(previous, labels)) {
                break;
            }
            previous = labels.clone();
        }
        return labels;
    }

    /** Labels each point with its nearest centre (lowest index on ties); returns the distances. */
    private static double[] assign(double[][] p, double[][] centres, int[] labels) {
        double[] dist = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            int best = 0;
            double bestD = distance2(p[i], centres[0]);
            for (int c = 1; c < centres.length; c++) {
                double d = distance2(p[i], centres[c]);
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            labels[i] = best;
            dist[i] = bestD;
        }
        return dist;
    }

    /**
     * Re-seeds every empty cluster with the point farthest from its centre, taken from a cluster
     * that keeps other members (§7.6). Such a point exists whenever k does not exceed the number
     * of distinct points.
     */
    private static void fillEmptyClusters(int[] labels, double[] dist, int k) {
        int[] size = new int[k];
        for (int l : labels) {
            size[l]++;
        }
        for (int c = 0; c < k; c++) {
            if (size[c] > 0) {
                continue;
            }
            int far = -1;
            for (int i = 0; i < labels.length; i++) {
                if (size[labels[i]] > 1 && (far < 0 || dist[i] > dist[far])) {
                    far = i;
                }
            }
            size[labels[far]]--;
            labels[far] = c;
            size[c] = 1;
            dist[far] = 0;
        }
    }

    private static double[][] means(double[][] p, int[] labels, int k) {
        int dim = p[0].length;
        double[][] sum = new double[k][dim];
        int[] count = new int[k];
        for (int i = 0; i < p.length; i++) {
            count[labels[i]]++;
            for (int d = 0; d < dim; d++) {
                sum[labels[i]][d] += p[i][d];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int d = 0; d < dim; d++) {
                sum[c][d] /= count[c];
            }
        }
        return sum;
    }

    private static double inertia(double[][] p, int[] labels, double[][] centres) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += distance2(p[i], centres[labels[i]]);
        }
        return s;
    }

    private static double distance2(double[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            double e = a[d] - b[d];
            s += e * e;
        }
        return s;
    }
}
