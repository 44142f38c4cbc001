package io.djlint4.kernels.bench;

/**
 * One kernel prepared at one shape: random weights packed and activations in the kernel's input
 * format, so {@link #run()} times the product alone.
 */
public interface KernelCase {

    /** Runs the product once. */
    void run();

    /**
     * Returns the floating-point (or integer multiply-add) operations of one run, counting a
     * multiply-add as two.
     *
     * @return operations per run
     */
    double operations();

    /**
     * Returns the weight bytes one run streams (packed codes plus scales; 0 for the Hadamard
     * transform, which has none).
     *
     * @return bytes per run
     */
    long weightBytes();
}
