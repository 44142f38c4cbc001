/**
 * Text generation independent of the engine: choosing the next token (greedy or sampled with
 * temperature, top-k, top-p and repetition penalty), and the loop that drives any {@link
 * io.djlint4.generation.LogitsSource} from a prompt until an EOS token, a stop string or the token
 * limit, streaming the text as it is produced.
 */
package io.djlint4.generation;
