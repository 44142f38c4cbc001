package io.djlint4.checkpoint;

/**
 * Options for reading a checkpoint.
 *
 * @param checkFinite whether to reject weights that contain NaN or infinity (the error names the
 *     tensor and the first bad index); on by default
 */
public record LoadOptions(boolean checkFinite) {

    /**
     * Returns the default options.
     *
     * @return options with {@code checkFinite} on
     */
    public static LoadOptions defaults() {
        return new LoadOptions(true);
    }
}
