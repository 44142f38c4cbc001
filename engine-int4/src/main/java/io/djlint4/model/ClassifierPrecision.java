package io.djlint4.model;

import java.util.Locale;
import java.util.Optional;

/** How a model's full-precision classifier is stored: the CLI's {@code --lm-head}, DJL's {@code lmHead}. */
public enum ClassifierPrecision {
    /** Float weights, as loaded (the default). */
    FP32,
    /** bfloat16 weights, {@link DecoderModel#withBf16LmHead()}. */
    BF16,
    /** 8-bit codes with an fp16 scale per block of 32, {@link DecoderModel#withInt8LmHead()}. */
    INT8;

    /**
     * Looks a precision up by its lower-case name.
     *
     * @param name {@code fp32}, {@code bf16} or {@code int8}
     * @return the precision, or empty for any other name
     */
    public static Optional<ClassifierPrecision> named(String name) {
        for (ClassifierPrecision p : values()) {
            if (p.label().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the lower-case name, as options and reports spell it.
     *
     * @return {@code fp32}, {@code bf16} or {@code int8}
     */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the model with its classifier stored in this precision.
     *
     * @param model the model as built
     * @return the model to run
     */
    public DecoderModel apply(DecoderModel model) {
        return switch (this) {
            case FP32 -> model;
            case BF16 -> model.withBf16LmHead();
            case INT8 -> model.withInt8LmHead();
        };
    }
}
