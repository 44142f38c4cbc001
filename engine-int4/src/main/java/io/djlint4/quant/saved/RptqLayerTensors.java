package io.djlint4.quant.saved;

import io.djlint4.checkpoint.CheckpointFormatException;
import io.djlint4.checkpoint.SafetensorsDtype;
import io.djlint4.model.LinearKind;
import io.djlint4.model.LinearSlot;
import io.djlint4.model.ModelConfig;
import io.djlint4.quant.rptq.ChannelClusters;
import io.djlint4.quant.rptq.ClusterActivationQuantizer;
import io.djlint4.quant.rptq.ClusterGrid;
import io.djlint4.quant.rptq.ClusterKvQuantizer;
import io.djlint4.quant.rptq.ClusteredWeights;
import io.djlint4.quant.rptq.LayerReorder;
import io.djlint4.quant.rptq.ReorderPlan;
import io.djlint4.quant.rptq.RptqLayers;
import io.djlint4.quant.weight.QuantParams;

/**
 * The tensors of an RPTQ model's layers. Per decoder layer: each reorder as {@code .perm} and
 * {@code .counts} (I32); the static grid of each linear input and of the cached keys and values
 * as {@code .grid_scales} (F32) and {@code .grid_zeros} (I16: the grid clamps zero points to
 * ±10⁴), one per cluster; each projection's codes (two per byte up to 4 bits, else I8) with a
 * scale (F32) and zero point (I16) per row and input cluster. The grid widths are in the header.
 * On reading, every reorder must be a permutation tiled by its clusters, and the o_proj reorder
 * of each query head must be that of its key/value head's value rows, or the model would compute
 * another function.
 */
final class RptqLayerTensors {

    private RptqLayerTensors() {}

    /**
     * Writes every layer's tensors.
     *
     * @param r the calibrated layers
     * @param c the configuration
     * @param sink the file and header list
     * @return the header entry with the grid widths
     */
    static QuantizedModelHeader.RptqEntry write(RptqLayers r, ModelConfig c, QuantizedModelWriter.TensorSink sink) {
        int[] activationBits = new int[LinearSlot.values().length];
        for (LinearSlot slot : LinearSlot.values()) {
            activationBits[slot.ordinal()] = r.activation(0, slot).grid().bits();
        }
        for (int l = 0; l < c.numLayers(); l++) {
            LayerReorder reorder = r.plan().layer(l);
            for (LinearSlot slot : LinearSlot.values()) {
                String prefix = TensorNames.rptq(l, TensorNames.slot(slot));
                ClusterActivationQuantizer q = r.activation(l, slot);
                if (q.grid().bits() != activationBits[slot.ordinal()]) {
                    throw new IllegalStateException("layer " + l + " " + slot + ": " + q.grid().bits()
                            + "-bit activations where layer 0 has " + activationBits[slot.ordinal()]);
                }
                clusters(sink, prefix, reorder.input(slot));
                grid(sink, prefix, q.params());
            }
            clusters(sink, TensorNames.rptq(l, TensorNames.VALUES), reorder.values());
            ClusterKvQuantizer kv = r.kv(l);
            if (kv != null) {
                String keys = TensorNames.rptq(l, TensorNames.KEYS);
                clusters(sink, keys, kv.keys());
                grid(sink, keys, kv.keyParams());
                grid(sink, TensorNames.rptq(l, TensorNames.VALUES), kv.valueParams());
            }
            for (LinearKind kind : LinearKind.values()) {
                ClusteredWeights w = r.weight(l, kind);
                if (w != null) {
                    weights(sink, TensorNames.linear(l, kind), w);
                }
            }
        }
        return new QuantizedModelHeader.RptqEntry(
                activationBits,
                r.weights() == null ? 0 : r.weight(0, LinearKind.Q).grid().bits(),
                r.kv() == null ? 0 : r.kv(0).grid().bits());
    }

    private static void clusters(QuantizedModelWriter.TensorSink sink, String prefix, ChannelClusters clusters) {
        sink.ints(prefix + TensorNames.PERM, clusters.perm(), clusters.width());
        sink.ints(prefix + TensorNames.COUNTS, clusters.counts(), clusters.clusterCount());
    }

    private static void grid(QuantizedModelWriter.TensorSink sink, String prefix, QuantParams[] params) {
        float[] scales = new float[params.length];
        int[] zeros = new int[params.length];
        for (int i = 0; i < params.length; i++) {
            scales[i] = params[i].scale();
            zeros[i] = params[i].zero();
        }
        sink.floats(prefix + TensorNames.GRID_SCALES, scales, params.length);
        sink.shorts(prefix + TensorNames.GRID_ZEROS, zeros, params.length);
    }

    private static void weights(QuantizedModelWriter.TensorSink sink, String module, ClusteredWeights w) {
        ClusterGrid grid = w.grid();
        byte[] codes = w.codes();
        if (grid.bits() <= 4) {
            sink.bytes(module + TensorNames.CODES, SafetensorsDtype.U8, PackedNibbles.pack(codes, grid.minCode()),
                    PackedNibbles.packedLength(codes.length));
        } else {
            sink.bytes(module + TensorNames.CODES, SafetensorsDtype.I8, codes, codes.length);
        }
        long[] shape = {w.rows(), w.clusters().clusterCount()};
        sink.floats(module + TensorNames.SCALES, w.scales(), shape);
        sink.shorts(module + TensorNames.ZEROS, w.zeros(), shape);
    }

    /**
     * Reads every layer back.
     *
     * @param t the tensors, checked against the header
     * @param e the header's grid widths
     * @param c the configuration
     * @return the layers
     * @throws CheckpointFormatException naming the file and tensor at fault
     */
    static RptqLayers read(QuantizedModelReader.Tensors t, QuantizedModelHeader.RptqEntry e, ModelConfig c)
            throws CheckpointFormatException {
        int layers = c.numLayers();
        LayerReorder[] reorders = new LayerReorder[layers];
        ClusterActivationQuantizer[][] acts = new ClusterActivationQuantizer[layers][LinearSlot.values().length];
        ClusteredWeights[][] weights = e.weightBits() == 0 ? null : new ClusteredWeights[layers][LinearKind.values().length];
        ClusterKvQuantizer[] kv = e.kvBits() == 0 ? null : new ClusterKvQuantizer[layers];
        for (int l = 0; l < layers; l++) {
            ChannelClusters values = clusters(t, TensorNames.rptq(l, TensorNames.VALUES), c.kvDim());
            ChannelClusters o = clusters(t, TensorNames.rptq(l, TensorNames.slot(LinearSlot.O)), c.qDim());
            requireHeadsFollowValues(t, TensorNames.rptq(l, TensorNames.slot(LinearSlot.O)) + TensorNames.PERM, o, values, c);
            reorders[l] = new LayerReorder(
                    clusters(t, TensorNames.rptq(l, TensorNames.slot(LinearSlot.QKV)), c.hiddenSize()),
                    values,
                    o,
                    clusters(t, TensorNames.rptq(l, TensorNames.slot(LinearSlot.GATE_UP)), c.hiddenSize()),
                    clusters(t, TensorNames.rptq(l, TensorNames.slot(LinearSlot.DOWN)), c.intermediateSize()));
            for (LinearSlot slot : LinearSlot.values()) {
                ChannelClusters input = reorders[l].input(slot);
                ClusterGrid grid = new ClusterGrid(e.activationBits()[slot.ordinal()]);
                QuantParams[] params = grid(t, TensorNames.rptq(l, TensorNames.slot(slot)), input.clusterCount());
                acts[l][slot.ordinal()] = new ClusterActivationQuantizer(grid, input, params);
            }
            if (kv != null) {
                String keysPrefix = TensorNames.rptq(l, TensorNames.KEYS);
                ChannelClusters keys = clusters(t, keysPrefix, c.kvDim());
                QuantParams[] keyParams = grid(t, keysPrefix, keys.clusterCount());
                QuantParams[] valueParams = grid(t, TensorNames.rptq(l, TensorNames.VALUES), values.clusterCount());
                // Values arrive in cluster order (their rows are permuted), so their grids follow R3's sizes in place.
                int[] identity = new int[values.width()];
                for (int j = 0; j < identity.length; j++) {
                    identity[j] = j;
                }
                kv[l] = new ClusterKvQuantizer(new ClusterGrid(e.kvBits()), keys, keyParams,
                        new ChannelClusters(identity, values.counts()), valueParams);
            }
            if (weights != null) {
                ClusterGrid grid = new ClusterGrid(e.weightBits());
                for (LinearKind kind : LinearKind.values()) {
                    weights[l][kind.ordinal()] = weights(t, TensorNames.linear(l, kind), kind.outFeatures(c),
                            reorders[l].input(kind.slot()), grid);
                }
            }
        }
        return new RptqLayers(new ReorderPlan(reorders), acts, weights, kv);
    }

    /** A reorder of {@code width} channels: sizes first (positive, summing to the width), then a permutation. */
    private static ChannelClusters clusters(QuantizedModelReader.Tensors t, String prefix, int width)
            throws CheckpointFormatException {
        String countsName = prefix + TensorNames.COUNTS;
        long[] shape = t.declaredShape(countsName);
        if (shape.length != 1 || shape[0] < 1 || shape[0] > width) {
            throw t.headerError(countsName, "needs between 1 and " + width + " clusters, has shape "
                    + java.util.Arrays.toString(shape));
        }
        int[] counts = t.ints(countsName, shape[0]);
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] <= 0) {
                throw t.tensorError(countsName, "cluster " + i + " has " + counts[i] + " channels");
            }
            sum += counts[i];
        }
        if (sum != width) {
            throw t.tensorError(countsName, "cluster sizes sum to " + sum + ", the reorder has " + width + " channels");
        }
        String permName = prefix + TensorNames.PERM;
        int[] perm = t.ints(permName, width);
        try {
            return new ChannelClusters(perm, counts);
        } catch (IllegalArgumentException ex) {
            throw t.tensorError(permName, ex.getMessage());
        }
    }

    /**
     * The o_proj input is permuted by the value rows: each query head's block must be its
     * key/value head's value reorder, shifted to the query head's place.
     */
    private static void requireHeadsFollowValues(QuantizedModelReader.Tensors t, String name, ChannelClusters o,
            ChannelClusters values, ModelConfig c) throws CheckpointFormatException {
        int hd = c.headDim();
        int group = c.numHeads() / c.numKvHeads();
        int[] op = o.perm();
        int[] vp = values.perm();
        for (int h = 0; h < c.numHeads(); h++) {
            int g = h / group;
            for (int j = 0; j < hd; j++) {
                if (op[h * hd + j] - h * hd != vp[g * hd + j] - g * hd) {
                    throw t.tensorError(name, "query head " + h + " is not reordered like the value rows of key/value"
                            + " head " + g + " (position " + j + ")");
                }
            }
        }
    }

    private static QuantParams[] grid(QuantizedModelReader.Tensors t, String prefix, int clusters)
            throws CheckpointFormatException {
        float[] scales = t.floats(prefix + TensorNames.GRID_SCALES, clusters);
        int[] zeros = t.shorts(prefix + TensorNames.GRID_ZEROS, clusters);
        requirePositive(t, prefix + TensorNames.GRID_SCALES, scales);
        QuantParams[] params = new QuantParams[clusters];
        for (int i = 0; i < clusters; i++) {
            params[i] = new QuantParams(scales[i], zeros[i]);
        }
        return params;
    }

    private static ClusteredWeights weights(QuantizedModelReader.Tensors t, String module, int rows,
            ChannelClusters clusters, ClusterGrid grid) throws CheckpointFormatException {
        String codesName = module + TensorNames.CODES;
        if ((long) rows * clusters.width() > Integer.MAX_VALUE - 8) {
            throw t.tensorError(codesName, rows + " x " + clusters.width() + " codes do not fit one array");
        }
        int count = rows * clusters.width();
        byte[] codes = grid.bits() <= 4
                ? PackedNibbles.unpack(t.bytes(codesName, "U8", PackedNibbles.packedLength(count)), count, grid.minCode())
                : t.bytes(codesName, "I8", count);
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] < grid.minCode() || codes[i] > grid.maxCode()) {
                throw t.tensorError(codesName, "code " + codes[i] + " at " + i + " is outside the " + grid.bits()
                        + "-bit grid");
            }
        }
        long[] shape = {rows, clusters.clusterCount()};
        float[] scales = t.floats(module + TensorNames.SCALES, shape);
        requirePositive(t, module + TensorNames.SCALES, scales);
        int[] zeros = t.shorts(module + TensorNames.ZEROS, shape);
        return new ClusteredWeights(rows, clusters, codes, scales, zeros, grid);
    }

    private static void requirePositive(QuantizedModelReader.Tensors t, String name, float[] scales)
            throws CheckpointFormatException {
        for (int i = 0; i < scales.length; i++) {
            if (!(scales[i] > 0) || !Float.isFinite(scales[i])) {
                throw t.tensorError(name, "scale " + scales[i] + " at " + i + " is not a positive finite number");
            }
        }
    }
}
