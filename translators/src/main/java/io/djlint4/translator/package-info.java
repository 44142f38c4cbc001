/**
 * Translators between DJL's generation API and a causal language model: {@link
 * io.djlint4.translator.CausalLmTranslator} is the {@code NDList -> CausalLMOutput} step DJL's
 * {@code TextGenerator} drives.
 */
package io.djlint4.translator;
