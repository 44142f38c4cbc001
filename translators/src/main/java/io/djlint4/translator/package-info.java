/**
 * Translators between DJL and a causal language model, engine-agnostic: {@link
 * io.djlint4.translator.CausalLmTranslator} is the {@code NDList -> CausalLMOutput} step DJL's
 * {@code TextGenerator} drives; {@link io.djlint4.translator.TextGenerationTranslator} turns a
 * prompt into generated text ({@code String -> String}), optionally streaming it, by running
 * {@link io.djlint4.generation.GenerationLoop} over the model's block through {@link
 * io.djlint4.translator.BlockLogitsSource}. {@link
 * io.djlint4.translator.TextGenerationTranslatorFactory} makes both from a loaded model.
 */
package io.djlint4.translator;
