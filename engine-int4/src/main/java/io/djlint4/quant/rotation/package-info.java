/**
 * Rotation-based invariance (QuaRot/SpinQuant, ALGORITHMS.md §3) and its refinement by DFRot (§8):
 * orthogonal matrices, their fusion into the weights, and the Procrustes fit.
 */
package io.djlint4.quant.rotation;
