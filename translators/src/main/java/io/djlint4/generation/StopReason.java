package io.djlint4.generation;

/** Why generation ended. */
public enum StopReason {
    /** The model produced an end-of-sequence (or end-of-turn) token. */
    EOS,
    /** The generated text reached one of the stop strings. */
    STOP_STRING,
    /** The maximum number of new tokens was generated. */
    MAX_TOKENS
}
