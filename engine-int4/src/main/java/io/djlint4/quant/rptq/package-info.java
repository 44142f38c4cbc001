/**
 * RPTQ (ALGORITHMS.md §7): input channels of every linear slot are clustered by their calibration
 * (max, min) with k-means, reordered so each cluster is contiguous, and quantized with one static
 * asymmetric grid per cluster; weights get one grid per output row and input cluster. The reorder
 * is fused into the weights (value rows, gate/up rows, consumer columns) and, for inputs read from
 * the residual stream through a norm, applied as a gather of the norm output. With {@code kv4}
 * the KV cache gets static per-cluster grids too: keys clustered per key/value head after rope
 * jointly with the queries (R2), values by the o_proj-input clusters (R3).
 */
package io.djlint4.quant.rptq;
