package io.djlint4.tokenizer;

import java.io.IOException;

/** No tokenizer could be found where one was looked for; the message names the place searched. */
public class TokenizerNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message where the tokenizer was looked for and what was (not) found
     */
    public TokenizerNotFoundException(String message) {
        super(message);
    }
}
