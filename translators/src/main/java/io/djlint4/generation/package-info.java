/**
 * Choosing the next token (greedy or sampled with temperature, top-k, top-p and repetition
 * penalty) and deciding when generation stops.
 */
package io.djlint4.generation;
