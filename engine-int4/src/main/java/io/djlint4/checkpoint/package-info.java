/**
 * Readers for Hugging Face (config.json + safetensors), llama2.c and GGUF checkpoints, producing a
 * {@link io.djlint4.model.ModelConfig} and {@link io.djlint4.model.ModelWeights}.
 *
 * <p>{@link io.djlint4.checkpoint.CheckpointLoader#load} detects the format and returns a {@link
 * io.djlint4.checkpoint.LoadedCheckpoint}. The format layers are usable on their own: {@link
 * io.djlint4.checkpoint.SafetensorsReader} / {@link io.djlint4.checkpoint.SafetensorsWriter} for
 * safetensors files, {@link io.djlint4.checkpoint.GgufReader} for GGUF containers (metadata and
 * tensors, dequantized on read by one small class per GGML block format), {@link
 * io.djlint4.checkpoint.HfConfigParser} for config.json. Every malformed input fails with a {@link
 * io.djlint4.checkpoint.CheckpointFormatException} naming the file and the tensor or field at fault.
 *
 * <p>All readers deliver the canonical layout: row-major {@code [out, in]} matrices, query/key rows
 * in the rotate-half rope layout ({@link io.djlint4.checkpoint.RopeLayoutPermutation} converts
 * interleaved-pair checkpoints), and a tied classifier that is the embedding array itself.
 */
package io.djlint4.checkpoint;
