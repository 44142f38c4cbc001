package io.djlint4.tokenizer;

/**
 * A token matched as a whole in the input text before any other processing.
 *
 * @param content the exact text
 * @param id the token id
 * @param special whether it is a control token: matched only when special tokens are parsed, and
 *     skipped by decoding
 */
record AddedToken(String content, int id, boolean special) {}
