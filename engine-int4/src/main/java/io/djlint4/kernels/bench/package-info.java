/** Timing of the kernels at given shapes, for the CLI and the JMH benchmarks. */
package io.djlint4.kernels.bench;
