/**
 * Matrix kernels: full-precision and packed 4-bit products, each with a scalar reference and a
 * Vector API path chosen at run time.
 */
package io.djlint4.kernels;
