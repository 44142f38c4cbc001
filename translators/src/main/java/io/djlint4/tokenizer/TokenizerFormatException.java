package io.djlint4.tokenizer;

import java.io.IOException;

/**
 * A tokenizer file or tokenizer metadata is malformed, incomplete or uses a feature this package
 * does not support. The message always starts with the source (a file path or a description such
 * as a GGUF file name) and says what is wrong.
 */
public class TokenizerFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;

    /**
     * Creates an exception about a tokenizer source.
     *
     * @param source the file or metadata the tokenizer came from
     * @param message what is wrong
     */
    public TokenizerFormatException(String source, String message) {
        this(source, message, null);
    }

    /**
     * Creates an exception about a tokenizer source, with a cause.
     *
     * @param source the file or metadata the tokenizer came from
     * @param message what is wrong
     * @param cause the underlying error, or {@code null}
     */
    public TokenizerFormatException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
    }

    /**
     * Returns the file or metadata the tokenizer came from.
     *
     * @return the source description
     */
    public String getSource() {
        return source;
    }
}
