package io.djlint4.quant.rptq;

import java.util.List;

/**
 * A channel reorder and the clusters it makes contiguous: position {@code j} of a reordered row
 * holds original channel {@code perm[j]}, and the reordered row splits into consecutive clusters
 * of {@code counts[0], counts[1], …} channels. Per-head reorders are concatenations of one such
 * reorder per head block, each permuting only its own block.
 *
 * @param perm the original channel at each reordered position, a bijection of {@code 0..width-1}
 * @param counts the positive cluster sizes, summing to the width
 */
public record ChannelClusters(int[] perm, int[] counts) {

    /** Checks that {@code perm} is a bijection and the counts tile it (§7.6). */
    public ChannelClusters {
        boolean[] seen = new boolean[perm.length];
        for (int j = 0; j < perm.length; j++) {
            int c = perm[j];
            if (c < 0 || c >= perm.length || seen[c]) {
                throw new IllegalArgumentException(
                        "channel reorder is not a bijection of 0.." + (perm.length - 1) + ": position " + j + " holds " + c);
            }
            seen[c] = true;
        }
        long sum = 0;
        for (int n : counts) {
            if (n <= 0) {
                throw new IllegalArgumentException("cluster sizes must be positive, got " + n);
            }
            sum += n;
        }
        if (sum != perm.length) {
            throw new IllegalArgumentException("cluster sizes sum to " + sum + ", the reorder has " + perm.length + " channels");
        }
        perm = perm.clone();
        counts = counts.clone();
    }

    /**
     * Orders channels by cluster label, stably, so each cluster becomes contiguous (§7.2).
     *
     * @param labels the label of every channel, in {@code [0, clusters)}, every label used
     * @param clusters the number of labels
     * @return the reorder
     */
    public static ChannelClusters fromLabels(int[] labels, int clusters) {
        int[] counts = new int[clusters];
        for (int l : labels) {
            if (l < 0 || l >= clusters) {
                throw new IllegalArgumentException("label " + l + " is outside [0, " + clusters + ")");
            }
            counts[l]++;
        }
        int[] next = new int[clusters];
        for (int c = 1; c < clusters; c++) {
            next[c] = next[c - 1] + counts[c - 1];
        }
        int[] perm = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            perm[next[labels[i]]++] = i;
        }
        return new ChannelClusters(perm, counts);
    }

    /**
     * Joins the reorders of consecutive blocks into one over their total width; block {@code b}'s
     * channels are offset by the widths of the blocks before it.
     *
     * @param blocks the per-block reorders, in channel order
     * @return the joined reorder
     */
    public static ChannelClusters concat(List<ChannelClusters> blocks) {
        int width = 0;
        int clusters = 0;
        for (ChannelClusters b : blocks) {
            width += b.width();
            clusters += b.clusterCount();
        }
        int[] perm = new int[width];
        int[] counts = new int[clusters];
        int offset = 0;
        int c = 0;
        for (ChannelClusters b : blocks) {
            for (int j = 0; j < b.width(); j++) {
                perm[offset + j] = b.perm[j] + offset;
            }
            System.arraycopy(b.counts, 0, counts, c, b.clusterCount());
            offset += b.width();
            c += b.clusterCount();
        }
        return new ChannelClusters(perm, counts);
    }

    /**
     * Returns the number of channels.
     *
     * @return the width
     */
    public int width() {
        return perm.length;
    }

    /**
     * Returns the number of clusters.
     *
     * @return the length of {@link #counts()}
     */
    public int clusterCount() {
        return counts.length;
    }

    /**
     * Returns the reordered position of each cluster's first channel.
     *
     * @return {@code clusterCount() + 1} offsets, the last equal to the width
     */
    public int[] starts() {
        int[] s = new int[counts.length + 1];
        for (int c = 0; c < counts.length; c++) {
            s[c + 1] = s[c] + counts[c];
        }
        return s;
    }

    @Override
    public int[] perm() {
        return perm.clone();
    }

    @Override
    public int[] counts() {
        return counts.clone();
    }
}
