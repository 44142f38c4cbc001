package io.djlint4.checkpoint;

import static io.djlint4.checkpoint.WeightAssertions.assertFormatError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlint4.model.Architecture;
import io.djlint4.model.ModelConfig;
import io.djlint4.model.RopeScaling;
import io.djlint4.testing.SharedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json (+ generation_config.json) parsing. */
class HfConfigParserTest {

    @TempDir Path dir;

    private Path config(String json) throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, json);
        return f;
    }

    /** A Llama 3.2 1B style config (real key set, shrunk dimensions). */
    private static final String LLAMA32 =
            "{\"architectures\":[\"LlamaForCausalLM\"],\"attention_bias\":false,\"attention_dropout\":0.0,"
                    + "\"bos_token_id\":128000,\"eos_token_id\":[128001,128008,128009],\"head_dim\":16,"
                    + "\"hidden_act\":\"silu\",\"hidden_size\":64,\"initializer_range\":0.02,"
                    + "\"intermediate_size\":128,\"max_position_embeddings\":131072,\"mlp_bias\":false,"
                    + "\"model_type\":\"llama\",\"num_attention_heads\":4,\"num_hidden_layers\":2,"
                    + "\"num_key_value_heads\":2,\"pretraining_tp\":1,\"rms_norm_eps\":1e-05,"
                    + "\"rope_scaling\":{\"factor\":32.0,\"high_freq_factor\":4.0,\"low_freq_factor\":1.0,"
                    + "\"original_max_position_embeddings\":8192,\"rope_type\":\"llama3\"},"
                    + "\"rope_theta\":500000.0,\"tie_word_embeddings\":true,\"torch_dtype\":\"bfloat16\","
                    + "\"transformers_version\":\"4.45.0.dev0\",\"use_cache\":true,\"vocab_size\":128256}";

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "\"rms_norm_eps\":-1", "\"rms_norm_eps\":0", "\"rms_norm_eps\":1e400", "\"rms_norm_eps\":NaN",
        "\"rope_theta\":0", "\"rope_theta\":-1", "\"rope_theta\":1e-300", "\"rope_theta\":NaN",
        "\"rope_theta\":1e400", "\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":0.5,\"low_freq_factor\":1,"
                + "\"high_freq_factor\":4,\"original_max_position_embeddings\":8192}"
    })
    void hyperParametersMustBeFiniteAndInRange(String field) throws IOException {
        String key = field.substring(1, field.indexOf('"', 1));
        String json = LLAMA32.replaceFirst("\"" + key + "\":(\\{[^}]*\\}|[^,}]*)", java.util.regex.Matcher.quoteReplacement(field));
        assertTrue(json.contains(field), json);
        Path f = config(json);
        assertFormatError(() -> HfConfigParser.parse(f), f.toString(), key);
    }

    @Test
    void llama3WithRopeScaling() throws IOException {
        ModelConfig c = HfConfigParser.parse(config(LLAMA32));
        assertEquals(Architecture.LLAMA, c.architecture());
        assertEquals(64, c.hiddenSize());
        assertEquals(128, c.intermediateSize());
        assertEquals(2, c.numLayers());
        assertEquals(4, c.numHeads());
        assertEquals(2, c.numKvHeads());
        assertEquals(16, c.headDim());
        assertEquals(128256, c.vocabSize());
        assertEquals(1e-5, c.rmsNormEps());
        assertEquals(500000.0, c.ropeTheta());
        assertEquals(new RopeScaling(32.0, 1.0, 4.0, 8192), c.ropeScaling());
        assertEquals(131072, c.maxPositionEmbeddings());
        assertTrue(c.tieWordEmbeddings());
        assertFalse(c.attentionBias());
        assertFalse(c.qkNorm());
        assertEquals(128000, c.bosTokenId());
        assertArrayEquals(new int[] {128001, 128008, 128009}, c.eosTokenIds());
    }

    @Test
    void qwen2AlwaysHasAttentionBias() throws IOException {
        // Qwen2.5-0.5B-Instruct's real config.json, as shipped.
        ModelConfig c = HfConfigParser.parse(config(
                "{\"architectures\":[\"Qwen2ForCausalLM\"],\"attention_dropout\":0.0,\"bos_token_id\":151643,"
                        + "\"eos_token_id\":151645,\"hidden_act\":\"silu\",\"hidden_size\":896,"
                        + "\"initializer_range\":0.02,\"intermediate_size\":4864,\"max_position_embeddings\":32768,"
                        + "\"max_window_layers\":21,\"model_type\":\"qwen2\",\"num_attention_heads\":14,"
                        + "\"num_hidden_layers\":24,\"num_key_value_heads\":2,\"rms_norm_eps\":1e-06,"
                        + "\"rope_theta\":1000000.0,\"sliding_window\":32768,\"tie_word_embeddings\":true,"
                        + "\"torch_dtype\":\"bfloat16\",\"transformers_version\":\"4.43.1\",\"use_cache\":true,"
                        + "\"use_sliding_window\":false,\"vocab_size\":151936}"));
        assertEquals(Architecture.QWEN2, c.architecture());
        assertTrue(c.attentionBias());
        assertFalse(c.qkNorm());
        assertEquals(64, c.headDim()); // 896 / 14
        assertEquals(2, c.numKvHeads());
        assertEquals(1e6, c.ropeTheta());
        assertNull(c.ropeScaling());
        assertArrayEquals(new int[] {151645}, c.eosTokenIds());
    }

    @Test
    void sharedQwen25Config() throws IOException {
        Path f = SharedFiles.require("models/qwen2.5-0.5b-instruct-tokenizer/config.json");
        ModelConfig c = HfConfigParser.parse(f);
        assertEquals(Architecture.QWEN2, c.architecture());
        assertEquals(896, c.hiddenSize());
        assertEquals(24, c.numLayers());
        assertEquals(14, c.numHeads());
        assertEquals(2, c.numKvHeads());
        assertEquals(64, c.headDim());
        assertEquals(151936, c.vocabSize());
        assertTrue(c.tieWordEmbeddings());
        assertTrue(c.attentionBias());
        assertEquals(151643, c.bosTokenId());
        // 151645 from config.json, then 151643 added by generation_config.json.
        assertArrayEquals(new int[] {151645, 151643}, c.eosTokenIds());
    }

    @Test
    void qwen3HasQkNormAndExplicitHeadDim() throws IOException {
        ModelConfig c = HfConfigParser.parse(config(
                "{\"architectures\":[\"Qwen3ForCausalLM\"],\"attention_bias\":false,\"bos_token_id\":151643,"
                        + "\"eos_token_id\":151645,\"head_dim\":32,\"hidden_act\":\"silu\",\"hidden_size\":48,"
                        + "\"intermediate_size\":96,\"max_position_embeddings\":40960,\"model_type\":\"qwen3\","
                        + "\"num_attention_heads\":4,\"num_hidden_layers\":1,\"num_key_value_heads\":2,"
                        + "\"rms_norm_eps\":1e-06,\"rope_scaling\":null,\"rope_theta\":1000000,"
                        + "\"tie_word_embeddings\":true,\"vocab_size\":100}"));
        assertEquals(Architecture.QWEN3, c.architecture());
        assertTrue(c.qkNorm());
        assertFalse(c.attentionBias());
        assertEquals(32, c.headDim()); // not 48 / 4
        assertEquals(128, c.qDim());
    }

    @Test
    void defaultsAndArchitecturesFallback() throws IOException {
        ModelConfig c = HfConfigParser.parse(config(
                "{\"architectures\":[\"MistralForCausalLM\"],\"hidden_size\":32,\"intermediate_size\":64,"
                        + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"head_dim\":null,"
                        + "\"max_position_embeddings\":512,\"vocab_size\":50}"));
        assertEquals(Architecture.MISTRAL, c.architecture());
        assertEquals(4, c.numKvHeads());
        assertEquals(8, c.headDim());
        assertEquals(10000.0, c.ropeTheta());
        assertEquals(1e-6, c.rmsNormEps());
        assertFalse(c.tieWordEmbeddings());
        assertFalse(c.attentionBias());
        assertEquals(-1, c.bosTokenId());
        assertEquals(0, c.eosTokenIds().length);
    }

    @Test
    void llamaMayHaveAttentionBias() throws IOException {
        ModelConfig c = HfConfigParser.parse(config(
                "{\"model_type\":\"llama\",\"attention_bias\":true,\"hidden_size\":32,\"intermediate_size\":64,"
                        + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"max_position_embeddings\":512,"
                        + "\"vocab_size\":50}"));
        assertTrue(c.attentionBias());
    }

    @Test
    void generationConfigEosIdsAreMerged() throws IOException {
        Path f = config("{\"model_type\":\"qwen2\",\"hidden_size\":32,\"intermediate_size\":64,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"max_position_embeddings\":512,"
                + "\"vocab_size\":50,\"eos_token_id\":7}");
        Files.writeString(dir.resolve("generation_config.json"),
                "{\"bos_token_id\":3,\"eos_token_id\":[9,7],\"do_sample\":true}");
        ModelConfig c = HfConfigParser.parse(f);
        assertArrayEquals(new int[] {7, 9}, c.eosTokenIds());
        assertEquals(3, c.bosTokenId()); // absent from config.json, taken from generation_config.json
    }

    @Test
    void defaultRopeTypeMeansNoScaling() throws IOException {
        ModelConfig c = HfConfigParser.parse(config(
                "{\"model_type\":\"llama\",\"hidden_size\":32,\"intermediate_size\":64,\"num_hidden_layers\":1,"
                        + "\"num_attention_heads\":4,\"max_position_embeddings\":512,\"vocab_size\":50,"
                        + "\"rope_scaling\":{\"rope_type\":\"default\"}}"));
        assertNull(c.ropeScaling());
    }

    @Test
    void legacyTypeKeyForLlama3Scaling() throws IOException {
        ModelConfig c = HfConfigParser.parse(config(
                "{\"model_type\":\"llama\",\"hidden_size\":32,\"intermediate_size\":64,\"num_hidden_layers\":1,"
                        + "\"num_attention_heads\":4,\"max_position_embeddings\":512,\"vocab_size\":50,"
                        + "\"rope_scaling\":{\"type\":\"llama3\",\"factor\":8,\"low_freq_factor\":1,"
                        + "\"high_freq_factor\":4,\"original_max_position_embeddings\":64}}"));
        assertEquals(new RopeScaling(8, 1, 4, 64), c.ropeScaling());
    }

    @Test
    void writtenConfigParsesBack() throws IOException {
        ModelConfig c = new ModelConfig(Architecture.LLAMA, 32, 48, 2, 4, 2, 8, 97, 1e-5, 5e5,
                new RopeScaling(8, 1, 4, 64), 256, false, true, false, 1, new int[] {2, 5});
        RandomCheckpoints.writeHfConfig(dir, c);
        WeightAssertions.assertSameConfig(c, HfConfigParser.parse(dir.resolve("config.json")));
        assertEquals(c.ropeScaling(), HfConfigParser.parse(dir.resolve("config.json")).ropeScaling());
    }

    // ---- bad input --------------------------------------------------------------------------

    @Test
    void unsupportedArchitecture() throws IOException {
        Path f = config("{\"model_type\":\"gpt2\",\"hidden_size\":32}");
        assertFormatError(() -> HfConfigParser.parse(f), f.toString(), "model_type", "gpt2", "llama");
    }

    @Test
    void unsupportedArchitectureFromArchitecturesList() throws IOException {
        Path f = config("{\"architectures\":[\"GemmaForCausalLM\"]}");
        assertFormatError(() -> HfConfigParser.parse(f), "config.json", "architectures", "gemma");
    }

    @Test
    void unsupportedRopeScalingType() throws IOException {
        Path f = config("{\"model_type\":\"qwen2\",\"hidden_size\":32,\"intermediate_size\":64,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"max_position_embeddings\":512,"
                + "\"vocab_size\":50,\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4.0}}");
        assertFormatError(() -> HfConfigParser.parse(f), "config.json", "rope_scaling", "yarn");
    }

    @Test
    void incompleteLlama3Scaling() throws IOException {
        Path f = config("{\"model_type\":\"llama\",\"hidden_size\":32,\"intermediate_size\":64,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"max_position_embeddings\":512,"
                + "\"vocab_size\":50,\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8}}");
        assertFormatError(() -> HfConfigParser.parse(f), "rope_scaling.low_freq_factor", "missing");
    }

    @Test
    void missingRequiredKey() throws IOException {
        Path f = config("{\"model_type\":\"llama\",\"hidden_size\":32,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":4,\"max_position_embeddings\":512,\"vocab_size\":50}");
        assertFormatError(() -> HfConfigParser.parse(f), "config.json", "intermediate_size", "missing");
    }

    @Test
    void wrongValueType() throws IOException {
        Path f = config("{\"model_type\":\"llama\",\"hidden_size\":\"big\"}");
        assertFormatError(() -> HfConfigParser.parse(f), "hidden_size", "integer");
    }

    @Test
    void unsupportedActivation() throws IOException {
        Path f = config("{\"model_type\":\"llama\",\"hidden_act\":\"gelu\"}");
        assertFormatError(() -> HfConfigParser.parse(f), "hidden_act", "gelu");
    }

    @Test
    void inconsistentHeads() throws IOException {
        Path f = config("{\"model_type\":\"llama\",\"hidden_size\":32,\"intermediate_size\":64,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"num_key_value_heads\":3,"
                + "\"max_position_embeddings\":512,\"vocab_size\":50}");
        assertFormatError(() -> HfConfigParser.parse(f), "config.json", "num_key_value_heads");
    }

    @Test
    void invalidJson() throws IOException {
        Path f = config("{\"model_type\": ");
        assertFormatError(() -> HfConfigParser.parse(f), "config.json", "invalid JSON");
    }
}
