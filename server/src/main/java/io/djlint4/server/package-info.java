/**
 * An OpenAI-compatible HTTP server on the Int4 decoder ({@link io.djlint4.server.Int4Server}) and
 * the continuous-batching scheduler under it ({@link io.djlint4.server.ContinuousBatcher}), which
 * applications can also drive from Java.
 */
package io.djlint4.server;
