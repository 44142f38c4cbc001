package io.djlint4.kernels.gguf;

import java.util.List;
import java.util.Optional;

/** The GGML block types whose weights run natively, looked up by {@code ggml_type} id. */
public final class BlockFormats {

    private static final List<BlockFormat> ALL =
            List.of(
                    Q40Format.INSTANCE,
                    Q41Format.INSTANCE,
                    Q50Format.INSTANCE,
                    Q51Format.INSTANCE,
                    Q80Format.INSTANCE,
                    Iq4NlFormat.INSTANCE,
                    Q4KFormat.INSTANCE,
                    Q5KFormat.INSTANCE,
                    Q6KFormat.INSTANCE);

    private BlockFormats() {}

    /**
     * Returns every supported format.
     *
     * @return the formats
     */
    public static List<BlockFormat> all() {
        return ALL;
    }

    /**
     * Finds the format of a {@code ggml_type} id.
     *
     * @param ggmlType the id
     * @return the format, or empty when the type does not run natively
     */
    public static Optional<BlockFormat> byType(int ggmlType) {
        return ALL.stream().filter(f -> f.ggmlType() == ggmlType).findFirst();
    }
}
