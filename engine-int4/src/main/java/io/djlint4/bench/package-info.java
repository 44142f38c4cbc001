/** End-to-end speed measurement of a decoder: prefill and decode throughput and peak memory. */
package io.djlint4.bench;
