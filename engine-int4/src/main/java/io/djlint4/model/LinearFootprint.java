package io.djlint4.model;

/**
 * How many weights the decoder projections (q, k, v, o, gate, up, down of every layer) have and
 * how many bits they occupy as built, scales and zero points included; the embedding and the
 * classifier are not counted.
 *
 * @param weights the number of weights
 * @param bits the bits they occupy ({@link LinearLayer#weightBits()} summed)
 */
public record LinearFootprint(long weights, long bits) {

    /**
     * Adds the footprint of one projection.
     *
     * @param layer the projection
     * @return the sum
     */
    LinearFootprint plus(LinearLayer layer) {
        return new LinearFootprint(weights + (long) layer.inFeatures() * layer.outFeatures(), bits + layer.weightBits());
    }

    /**
     * Adds another footprint.
     *
     * @param other the other footprint
     * @return the sum
     */
    LinearFootprint plus(LinearFootprint other) {
        return new LinearFootprint(weights + other.weights, bits + other.bits);
    }

    /**
     * Returns the bits per weight.
     *
     * @return {@code bits / weights}, 0 without weights
     */
    public double bitsPerWeight() {
        return weights == 0 ? 0 : (double) bits / weights;
    }
}
