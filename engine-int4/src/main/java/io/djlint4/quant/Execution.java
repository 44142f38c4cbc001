package io.djlint4.quant;

/** How the quantized projections of a model run. */
public enum Execution {
    /**
     * On the packed kernels: INT4 or FP4 codes two per byte, integer products for INT4-quantized
     * inputs (the default). Projections no kernel takes run simulated.
     */
    PACKED,
    /**
     * As the papers' reference code: dequantized float weights and quantize-dequantized inputs;
     * the accuracy reference the packed kernels are held to.
     */
    SIMULATED
}
