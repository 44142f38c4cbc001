package io.djlint4.tokenizer;

/** The GGUF {@code tokenizer.ggml.token_type} codes (SentencePiece piece types). */
enum TokenType {
    UNDEFINED,
    NORMAL,
    UNKNOWN,
    CONTROL,
    USER_DEFINED,
    UNUSED,
    BYTE;

    private static final TokenType[] BY_CODE = values();

    /** Returns the type for a GGUF code; unknown codes count as {@link #UNDEFINED}, as in llama.cpp. */
    static TokenType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNDEFINED;
    }
}
