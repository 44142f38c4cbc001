package io.djlint4.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds a {@link ByteLevelBpeTokenizer} from a Hugging Face {@code tokenizer.json} (plus the
 * optional {@code tokenizer_config.json} and {@code generation_config.json} beside it). Only the
 * parts byte-level BPE models use are accepted; anything else is reported by name.
 */
final class TokenizerJsonReader {

    /** End-of-turn tokens used when no configuration names the EOS token. */
    private static final List<String> FALLBACK_EOS =
            List.of("<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<|end_of_text|>");

    private final String source;

    private TokenizerJsonReader(String source) {
        this.source = source;
    }

    static ByteLevelBpeTokenizer read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        return new TokenizerJsonReader(file.toString()).readFile(file);
    }

    private ByteLevelBpeTokenizer readFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(source, null, "tokenizer.json not found");
        }
        JsonObject root = parse(file, source);
        JsonObject model = object(root, "model");
        String type = string(model, "type", "BPE");
        if (!"BPE".equals(type)) {
            throw unsupported("model.type '" + type + "' (only BPE is supported)");
        }
        if (bool(model, "byte_fallback", false)) {
            throw unsupported("model.byte_fallback = true (SentencePiece-style BPE)");
        }
        for (String key : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            String value = string(model, key, "");
            if (!value.isEmpty()) {
                throw unsupported("model." + key + " '" + value + "'");
            }
        }
        Map<String, Integer> vocabulary = vocabulary(object(model, "vocab"));
        List<AddedToken> addedTokens = addedTokens(root);
        checkIds(vocabulary, addedTokens);
        List<String[]> merges = merges(array(model, "merges"));
        Normalizer.Form normalization = normalization(root.get("normalizer"), "normalizer");
        PreTokenizer preTokenizer = preTokenizer(root.get("pre_tokenizer"));
        checkDecoder(root.get("decoder"));

        Map<String, Integer> idsByContent = new HashMap<>(vocabulary);
        addedTokens.forEach(t -> idsByContent.put(t.content(), t.id()));
        int bosId = -1;
        boolean addBos = false;
        String templateBos = templateBos(root.get("post_processor"));
        if (templateBos != null) {
            bosId = idOf(idsByContent, templateBos, "post_processor");
            addBos = true;
        }
        Set<Integer> eos = new LinkedHashSet<>();
        Path directory = file.toAbsolutePath().getParent();
        Path configFile = directory.resolve("tokenizer_config.json");
        if (Files.isRegularFile(configFile)) {
            TokenizerJsonReader configReader = new TokenizerJsonReader(configFile.toString());
            JsonObject config = parse(configFile, configFile.toString());
            String bos = configReader.tokenContent(config, "bos_token");
            if (bos != null) {
                bosId = configReader.idOf(idsByContent, bos, "bos_token");
            }
            addBos = configReader.bool(config, "add_bos_token", addBos);
            String eosToken = configReader.tokenContent(config, "eos_token");
            if (eosToken != null) {
                eos.add(configReader.idOf(idsByContent, eosToken, "eos_token"));
            }
        }
        Path generationFile = directory.resolve("generation_config.json");
        if (Files.isRegularFile(generationFile)) {
            JsonElement ids = parse(generationFile, generationFile.toString()).get("eos_token_id");
            new TokenizerJsonReader(generationFile.toString()).collectIds(ids, eos);
        }
        if (eos.isEmpty()) {
            for (AddedToken token : addedTokens) {
                if (token.special() && FALLBACK_EOS.contains(token.content())) {
                    eos.add(token.id());
                }
            }
        }
        return new ByteLevelBpeTokenizer(
                source,
                vocabulary,
                merges,
                addedTokens,
                preTokenizer,
                normalization,
                bool(model, "ignore_merges", false),
                bosId,
                eos.stream().mapToInt(Integer::intValue).toArray(),
                addBos);
    }

    private static JsonObject parse(Path file, String source) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement element = JsonParser.parseReader(reader);
            if (!element.isJsonObject()) {
                throw new TokenizerFormatException(source, "is not a JSON object");
            }
            return element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new TokenizerFormatException(source, "is not valid JSON: " + e.getMessage(), e);
        }
    }

    private Map<String, Integer> vocabulary(JsonObject vocab) throws TokenizerFormatException {
        Map<String, Integer> ids = new HashMap<>(vocab.size() * 2);
        for (Map.Entry<String, JsonElement> entry : vocab.entrySet()) {
            ids.put(entry.getKey(), integer(entry.getValue(), "model.vocab['" + entry.getKey() + "']"));
        }
        return ids;
    }

    private List<AddedToken> addedTokens(JsonObject root) throws TokenizerFormatException {
        List<AddedToken> tokens = new ArrayList<>();
        JsonElement list = root.get("added_tokens");
        if (list == null || list.isJsonNull()) {
            return tokens;
        }
        if (!list.isJsonArray()) {
            throw format("'added_tokens' is not an array");
        }
        JsonArray array = list.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            String where = "added_tokens[" + i + "]";
            if (!array.get(i).isJsonObject()) {
                throw format("'" + where + "' is not an object");
            }
            JsonObject token = array.get(i).getAsJsonObject();
            String content = string(token, "content", null);
            if (content == null || content.isEmpty()) {
                throw format("'" + where + ".content' is missing or empty");
            }
            int id = integer(token.get("id"), where + ".id");
            tokens.add(new AddedToken(content, id, bool(token, "special", false)));
        }
        return tokens;
    }

    /** Ids index arrays, so a lying id must fail here rather than allocate gigabytes later. */
    private void checkIds(Map<String, Integer> vocabulary, List<AddedToken> added) throws TokenizerFormatException {
        long limit = 2L * (vocabulary.size() + added.size()) + 1024;
        for (Map.Entry<String, Integer> entry : vocabulary.entrySet()) {
            checkId(entry.getValue(), entry.getKey(), limit, vocabulary.size());
        }
        for (AddedToken token : added) {
            checkId(token.id(), token.content(), limit, vocabulary.size());
        }
    }

    private void checkId(int id, String token, long limit, int size) throws TokenizerFormatException {
        if (id < 0 || id >= limit) {
            throw format("id " + id + " of token '" + token + "' is out of range for a vocabulary of "
                    + size + " entries");
        }
    }

    private List<String[]> merges(JsonArray array) throws TokenizerFormatException {
        List<String[]> merges = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonElement merge = array.get(i);
            if (merge.isJsonPrimitive() && merge.getAsJsonPrimitive().isString()) {
                String line = merge.getAsString();
                int space = line.indexOf(' ', 1);
                if (space < 0) {
                    throw format("model.merges[" + i + "] '" + line + "' is not two tokens separated by a space");
                }
                merges.add(new String[] {line.substring(0, space), line.substring(space + 1)});
            } else if (merge.isJsonArray() && merge.getAsJsonArray().size() == 2
                    && merge.getAsJsonArray().get(0).isJsonPrimitive()
                    && merge.getAsJsonArray().get(1).isJsonPrimitive()) {
                JsonArray pair = merge.getAsJsonArray();
                merges.add(new String[] {pair.get(0).getAsString(), pair.get(1).getAsString()});
            } else {
                throw format("model.merges[" + i + "] is neither \"a b\" nor [\"a\", \"b\"]");
            }
        }
        return merges;
    }

    private Normalizer.Form normalization(JsonElement element, String where) throws TokenizerFormatException {
        if (element == null || element.isJsonNull()) {
            return null;
        }
        if (!element.isJsonObject()) {
            throw format("'" + where + "' is not an object");
        }
        JsonObject normalizer = element.getAsJsonObject();
        String type = string(normalizer, "type", "");
        switch (type) {
            case "NFC":
                return Normalizer.Form.NFC;
            case "NFD":
                return Normalizer.Form.NFD;
            case "NFKC":
                return Normalizer.Form.NFKC;
            case "NFKD":
                return Normalizer.Form.NFKD;
            case "Sequence":
                JsonArray parts = array(normalizer, "normalizers");
                if (parts.size() == 0) {
                    return null;
                }
                if (parts.size() == 1) {
                    return normalization(parts.get(0), where + ".normalizers[0]");
                }
                throw unsupported(where + " with " + parts.size() + " steps");
            default:
                throw unsupported(where + " type '" + type + "' (supported: NFC, NFD, NFKC, NFKD)");
        }
    }

    private PreTokenizer preTokenizer(JsonElement element) throws TokenizerFormatException {
        List<PreTokenizer.Stage> stages = new ArrayList<>();
        if (element != null && !element.isJsonNull()) {
            addStages(element, "pre_tokenizer", stages);
        }
        return new PreTokenizer(stages);
    }

    private void addStages(JsonElement element, String where, List<PreTokenizer.Stage> stages)
            throws TokenizerFormatException {
        if (!element.isJsonObject()) {
            throw format("'" + where + "' is not an object");
        }
        JsonObject pre = element.getAsJsonObject();
        String type = string(pre, "type", "");
        switch (type) {
            case "Sequence":
                JsonArray parts = array(pre, "pretokenizers");
                for (int i = 0; i < parts.size(); i++) {
                    addStages(parts.get(i), where + ".pretokenizers[" + i + "]", stages);
                }
                break;
            case "Split":
                String behavior = string(pre, "behavior", "");
                if (!"Isolated".equals(behavior) || bool(pre, "invert", false)) {
                    throw unsupported(where + " Split with behavior '" + behavior + "' and invert "
                            + bool(pre, "invert", false) + " (only Isolated, not inverted)");
                }
                JsonObject pattern = object(pre, "pattern");
                String regex = pattern.has("Regex")
                        ? string(pattern, "Regex", "")
                        : Pattern.quote(string(pattern, "String", ""));
                stages.add(compile(regex, where));
                break;
            case "ByteLevel":
                if (bool(pre, "add_prefix_space", true)) {
                    stages.add(PreTokenizer.prefixSpace());
                }
                if (bool(pre, "use_regex", true)) {
                    stages.add(compile(PreTokenizer.GPT2, where));
                }
                break;
            case "Digits":
                stages.add(compile(
                        bool(pre, "individual_digits", false) ? PreTokenizer.SINGLE_DIGITS : PreTokenizer.DIGIT_RUNS,
                        where));
                break;
            default:
                throw unsupported(where + " type '" + type + "' (supported: Sequence, Split, ByteLevel, Digits)");
        }
    }

    private PreTokenizer.Stage compile(String regex, String where) throws TokenizerFormatException {
        try {
            return PreTokenizer.regexSplit(regex);
        } catch (PatternSyntaxException e) {
            throw format("'" + where + "' regex does not compile in Java: " + e.getMessage());
        }
    }

    private void checkDecoder(JsonElement element) throws TokenizerFormatException {
        String type = element == null || !element.isJsonObject()
                ? "none"
                : string(element.getAsJsonObject(), "type", "none");
        if (!"ByteLevel".equals(type)) {
            throw unsupported("decoder type '" + type + "' (only ByteLevel)");
        }
    }

    /** The special token a TemplateProcessing post-processor puts first, or null. */
    private String templateBos(JsonElement element) throws TokenizerFormatException {
        if (element == null || !element.isJsonObject()) {
            return null;
        }
        JsonObject processor = element.getAsJsonObject();
        String type = string(processor, "type", "");
        if ("Sequence".equals(type)) {
            for (JsonElement part : array(processor, "processors")) {
                String bos = templateBos(part);
                if (bos != null) {
                    return bos;
                }
            }
            return null;
        }
        if (!"TemplateProcessing".equals(type)) {
            return null;
        }
        JsonArray single = array(processor, "single");
        if (single.size() == 0 || !single.get(0).isJsonObject()
                || !single.get(0).getAsJsonObject().has("SpecialToken")) {
            return null;
        }
        return string(single.get(0).getAsJsonObject().getAsJsonObject("SpecialToken"), "id", null);
    }

    /** A tokenizer_config.json token entry: a string, an object with "content", or null. */
    private String tokenContent(JsonObject config, String key) throws TokenizerFormatException {
        JsonElement value = config.get(key);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (value.isJsonObject()) {
            return string(value.getAsJsonObject(), "content", null);
        }
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            return value.getAsString();
        }
        throw format("'" + key + "' is neither a string nor a token object");
    }

    private void collectIds(JsonElement ids, Set<Integer> out) throws TokenizerFormatException {
        if (ids == null || ids.isJsonNull()) {
            return;
        }
        if (ids.isJsonArray()) {
            for (JsonElement id : ids.getAsJsonArray()) {
                out.add(integer(id, "eos_token_id"));
            }
        } else {
            out.add(integer(ids, "eos_token_id"));
        }
    }

    private int idOf(Map<String, Integer> ids, String content, String where) throws TokenizerFormatException {
        Integer id = ids.get(content);
        if (id == null) {
            throw format("'" + where + "' names token '" + content + "', which is not in the vocabulary");
        }
        return id;
    }

    private JsonObject object(JsonObject parent, String key) throws TokenizerFormatException {
        JsonElement value = parent.get(key);
        if (value == null || !value.isJsonObject()) {
            throw format("'" + key + "' is missing or not an object");
        }
        return value.getAsJsonObject();
    }

    private JsonArray array(JsonObject parent, String key) throws TokenizerFormatException {
        JsonElement value = parent.get(key);
        if (value == null || !value.isJsonArray()) {
            throw format("'" + key + "' is missing or not an array");
        }
        return value.getAsJsonArray();
    }

    private String string(JsonObject parent, String key, String fallback) throws TokenizerFormatException {
        JsonElement value = parent.get(key);
        if (value == null || value.isJsonNull()) {
            return fallback;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw format("'" + key + "' is not a string");
        }
        return value.getAsString();
    }

    private boolean bool(JsonObject parent, String key, boolean fallback) throws TokenizerFormatException {
        JsonElement value = parent.get(key);
        if (value == null || value.isJsonNull()) {
            return fallback;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
            throw format("'" + key + "' is not a boolean");
        }
        return value.getAsBoolean();
    }

    private int integer(JsonElement value, String where) throws TokenizerFormatException {
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw format("'" + where + "' is missing or not a number");
        }
        double number = value.getAsDouble();
        if (number != Math.rint(number) || number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
            throw format("'" + where + "' = " + value + " is not a 32-bit integer");
        }
        return (int) number;
    }

    private TokenizerFormatException format(String message) {
        return new TokenizerFormatException(source, message);
    }

    private TokenizerFormatException unsupported(String what) {
        return new TokenizerFormatException(source, "unsupported " + what);
    }
}
