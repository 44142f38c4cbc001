package io.djlint4.server;

import io.djlint4.generation.GenerationConfig;

/**
 * A validated completion request: the prompt ids, what to generate, and how to answer.
 *
 * @param chat whether it came to {@code /v1/chat/completions}
 * @param promptIds the prompt's token ids (the chat template applied)
 * @param generation the token limit, sampling and stop strings
 * @param stream whether to answer with server-sent events
 * @param includeUsage whether a stream ends with a chunk of token counts ({@code stream_options})
 */
record CompletionParams(
        boolean chat, int[] promptIds, GenerationConfig generation, boolean stream, boolean includeUsage) {}
