package io.djlint4.engine;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The value the kernels work on: a row-major storage and its dimensions.
 *
 * @param storage the elements
 * @param dims the dimensions (not to be modified)
 */
record DenseTensor(Storage storage, long[] dims) {

    /**
     * Pairs a storage with a DJL shape.
     *
     * @param storage the elements
     * @param shape the shape
     * @return the tensor
     */
    static DenseTensor of(Storage storage, Shape shape) {
        return new DenseTensor(storage, shape.getShape());
    }

    /**
     * Returns the element type.
     *
     * @return the element type
     */
    DataType dataType() {
        return storage.dataType();
    }

    /**
     * Returns the number of dimensions.
     *
     * @return the rank
     */
    int rank() {
        return dims.length;
    }

    /**
     * Returns the number of elements.
     *
     * @return the element count
     */
    int size() {
        return storage.size();
    }

    /**
     * Returns the dimensions as a DJL shape.
     *
     * @return the shape
     */
    Shape shape() {
        return new Shape(dims.clone());
    }

    /**
     * Returns this tensor with its elements converted to another type (itself if it already has
     * that type).
     *
     * @param type the element type
     * @return the tensor
     */
    DenseTensor withType(DataType type) {
        return type == dataType() ? this : new DenseTensor(storage.convertTo(type), dims);
    }
}
