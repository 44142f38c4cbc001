/**
 * Readers for Hugging Face (config.json + safetensors), llama2.c and GGUF checkpoints, producing a
 * {@link io.djlint4.model.ModelConfig} and {@link io.djlint4.model.ModelWeights}.
 */
package io.djlint4.checkpoint;
