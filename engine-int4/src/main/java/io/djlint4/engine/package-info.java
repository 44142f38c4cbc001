/** The DJL engine SPI: engine, NDManager, NDArray, Model and the causal-LM block. */
package io.djlint4.engine;
