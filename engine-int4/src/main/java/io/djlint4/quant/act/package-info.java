/** Activation quantization: the per-token quantizer every W·A recipe applies to linear inputs. */
package io.djlint4.quant.act;
