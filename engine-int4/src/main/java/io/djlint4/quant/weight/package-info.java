/**
 * Weight quantizers: the uniform integer grid (§2.1 of ALGORITHMS.md), the clipping search that
 * picks its range (§2.2), and the methods built on them.
 */
package io.djlint4.quant.weight;
