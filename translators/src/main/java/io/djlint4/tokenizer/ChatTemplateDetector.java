package io.djlint4.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses the hard-coded {@link ChatTemplate} that matches a model's Jinja chat template, taken
 * from {@code tokenizer_config.json} or the GGUF key {@code tokenizer.chat_template}. Jinja itself
 * is not evaluated: the template is recognised by its special tokens (Llama 3 headers; ChatML with
 * think handling is Qwen3; other ChatML is plain), and a ChatML default system message is read
 * from the string literal that writes it.
 */
public final class ChatTemplateDetector {

    /** GGUF metadata key holding the Jinja template. */
    public static final String GGUF_KEY = "tokenizer.chat_template";

    /**
     * A Jinja string literal that writes a whole system turn, such as Qwen2.5's {@code
     * '<|im_start|>system\nYou are Qwen, ...<|im_end|>\n'}; quotes inside the message would mean an
     * expression ({@code ' + messages[0].content + '}), not a literal, so they end the match. The
     * newline after {@code system} is the escape {@code \n} in tokenizer_config.json, but some GGUF
     * converters store a real newline there (SmolLM2's llama.cpp file does).
     */
    private static final Pattern DEFAULT_SYSTEM = Pattern.compile(
            "<\\|im_start\\|>system(?:\\\\n|\n)((?:[^'\"\\\\{}]|\\\\.)+?)<\\|im_end\\|>");

    private ChatTemplateDetector() {}

    /**
     * Recognises a Jinja chat template.
     *
     * @param jinja the template text
     * @return the matching template, or empty when it is of no known family
     */
    public static Optional<ChatTemplate> fromJinja(String jinja) {
        if (jinja == null) {
            return Optional.empty();
        }
        if (jinja.contains("<|start_header_id|>")) {
            return Optional.of(new Llama3ChatTemplate());
        }
        if (jinja.contains("<|im_start|>") && jinja.contains("</think>")) {
            return Optional.of(new Qwen3ChatTemplate());
        }
        if (jinja.contains("<|im_start|>")) {
            Matcher m = DEFAULT_SYSTEM.matcher(jinja);
            return Optional.of(new ChatMlTemplate(m.find() ? unescape(m.group(1)) : null));
        }
        return Optional.empty();
    }

    /**
     * Recognises the {@code chat_template} of a Hugging Face {@code tokenizer_config.json}; a list of
     * named templates uses the one named {@code "default"}.
     *
     * @param tokenizerConfig the {@code tokenizer_config.json} file
     * @return the matching template, or empty when there is none or it is of no known family
     * @throws TokenizerFormatException when the file is not valid JSON
     * @throws IOException when the file cannot be read
     */
    public static Optional<ChatTemplate> fromTokenizerConfig(Path tokenizerConfig) throws IOException {
        JsonElement root;
        try (Reader reader = Files.newBufferedReader(tokenizerConfig, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException e) {
            throw new TokenizerFormatException(tokenizerConfig.toString(), "is not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new TokenizerFormatException(tokenizerConfig.toString(), "is not a JSON object");
        }
        JsonElement template = root.getAsJsonObject().get("chat_template");
        if (template == null || template.isJsonNull()) {
            return Optional.empty();
        }
        if (template.isJsonPrimitive()) {
            return fromJinja(template.getAsString());
        }
        if (template.isJsonArray()) {
            for (JsonElement named : template.getAsJsonArray()) {
                if (named.isJsonObject()) {
                    JsonObject entry = named.getAsJsonObject();
                    if (entry.has("name") && "default".equals(entry.get("name").getAsString())
                            && entry.has("template")) {
                        return fromJinja(entry.get("template").getAsString());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Recognises the chat template stored in GGUF metadata under {@value #GGUF_KEY}.
     *
     * @param metadata the GGUF metadata
     * @return the matching template, or empty when there is none or it is of no known family
     */
    public static Optional<ChatTemplate> fromGgufMetadata(Map<String, ?> metadata) {
        Object template = metadata.get(GGUF_KEY);
        return template instanceof String ? fromJinja((String) template) : Optional.empty();
    }

    /** Undoes the escapes of a Jinja (Python-like) string literal. */
    private static String unescape(String literal) {
        StringBuilder sb = new StringBuilder(literal.length());
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c != '\\' || i + 1 == literal.length()) {
                sb.append(c);
                continue;
            }
            char escaped = literal.charAt(++i);
            switch (escaped) {
                case 'n':
                    sb.append('\n');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                default:
                    sb.append(escaped);
            }
        }
        return sb.toString();
    }
}
