/**
 * Pure-Java tokenizers for LLaMA- and Qwen-family models and the chat templates that build their
 * prompts.
 *
 * <p>{@link io.djlint4.tokenizer.TextTokenizer} is the common interface. Implementations: {@link
 * io.djlint4.tokenizer.Llama2cTokenizer} (llama2.c {@code tokenizer.bin}), {@link
 * io.djlint4.tokenizer.SentencePieceBpeTokenizer} (GGUF {@code tokenizer.ggml.model = "llama"}) and
 * {@link io.djlint4.tokenizer.ByteLevelBpeTokenizer} (GPT-2 style byte-level BPE from a Hugging Face
 * {@code tokenizer.json} or GGUF {@code tokenizer.ggml.model = "gpt2"}). {@link
 * io.djlint4.tokenizer.GgufTokenizerFactory} picks one from GGUF metadata. {@link
 * io.djlint4.tokenizer.StreamingDecoder} turns generated ids into text one token at a time.
 */
package io.djlint4.tokenizer;
