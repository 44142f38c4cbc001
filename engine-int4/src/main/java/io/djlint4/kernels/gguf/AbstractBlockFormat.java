package io.djlint4.kernels.gguf;

/**
 * The identity every {@link BlockFormat} carries: its {@code ggml_type} id, name and block
 * geometry, fixed at construction so each format states them once, next to its layout.
 *
 * <p>The products stay in the subclasses, each choosing between its vector kernel and its scalar
 * reference itself: a shared dispatch here would put one virtual call site in front of every
 * format's kernel, which turns megamorphic as soon as a model mixes block types, and would have to
 * know which formats the K-quant species gate ({@link VectorPath#K_ENABLED}) rather than {@link
 * VectorPath#ENABLED}.
 */
abstract class AbstractBlockFormat implements BlockFormat {

    private final int ggmlType;
    private final String typeName;
    private final int blockSize;
    private final int typeSize;

    /**
     * Creates a format.
     *
     * @param ggmlType the {@code ggml_type} id stored in GGUF tensor infos
     * @param typeName ggml's name of the type, e.g. {@code Q4_0}
     * @param blockSize the number of values in one block
     * @param typeSize the number of bytes of one block
     */
    AbstractBlockFormat(int ggmlType, String typeName, int blockSize, int typeSize) {
        this.ggmlType = ggmlType;
        this.typeName = typeName;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
    }

    @Override
    public final int ggmlType() {
        return ggmlType;
    }

    @Override
    public final String typeName() {
        return typeName;
    }

    @Override
    public final int blockSize() {
        return blockSize;
    }

    @Override
    public final int typeSize() {
        return typeSize;
    }
}
