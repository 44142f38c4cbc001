package io.djlint4.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the tokenizer a GGUF file describes in its {@code tokenizer.ggml.*} metadata, with the
 * defaults llama.cpp applies: {@code tokenizer.ggml.model = "llama"} gives a {@link
 * SentencePieceBpeTokenizer}, {@code "gpt2"} a {@link ByteLevelBpeTokenizer} whose pre-tokenizer
 * follows {@code tokenizer.ggml.pre}.
 */
public final class GgufTokenizerFactory {

    /** Tokenizer family: {@code "llama"} (SentencePiece BPE) or {@code "gpt2"} (byte-level BPE). */
    public static final String MODEL = "tokenizer.ggml.model";
    /** Pre-tokenizer name of a byte-level BPE vocabulary, such as {@code "qwen2"}. */
    public static final String PRE = "tokenizer.ggml.pre";
    /** Token texts by id. */
    public static final String TOKENS = "tokenizer.ggml.tokens";
    /** SentencePiece merge scores by id. */
    public static final String SCORES = "tokenizer.ggml.scores";
    /** Token types by id (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte). */
    public static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    /** Byte-level BPE merges, each {@code "left right"}, in rank order. */
    public static final String MERGES = "tokenizer.ggml.merges";
    /** Beginning-of-sequence id. */
    public static final String BOS_ID = "tokenizer.ggml.bos_token_id";
    /** End-of-sequence id. */
    public static final String EOS_ID = "tokenizer.ggml.eos_token_id";
    /** End-of-turn id. */
    public static final String EOT_ID = "tokenizer.ggml.eot_token_id";
    /** End-of-message id (Llama 3.1 tool calls). */
    public static final String EOM_ID = "tokenizer.ggml.eom_token_id";
    /** Unknown-token id. */
    public static final String UNK_ID = "tokenizer.ggml.unknown_token_id";
    /** Whether prompts start with BOS. */
    public static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    /** Whether SentencePiece text runs get a leading space. */
    public static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";

    /** Control tokens llama.cpp also treats as end of generation when it finds them by text. */
    private static final Set<String> END_OF_GENERATION_TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<|eom_id|>", "<end_of_turn>", "<|endoftext|>",
            "<|end_of_text|>");

    /** Pre-tokenizers for which llama.cpp skips merging pieces that are whole tokens. */
    private static final Set<String> IGNORE_MERGES_PRE = Set.of("llama3", "llama-v3", "llama-bpe", "falcon3");

    private GgufTokenizerFactory() {}

    /**
     * Builds a tokenizer from GGUF metadata. Arrays may be Java arrays or Lists ({@code String[]} or
     * {@code List<String>} for tokens and merges, {@code float[]} or {@code List<Number>} for
     * scores, {@code int[]} or {@code List<Number>} for token types); ids may be any {@link Number}.
     *
     * @param metadata the GGUF key/value metadata (other keys are ignored)
     * @param source a description of where it came from, such as the GGUF file path, for errors
     * @return the tokenizer
     * @throws TokenizerFormatException when a required key is missing, has the wrong type or length,
     *     or names an unsupported tokenizer
     */
    public static TextTokenizer fromMetadata(Map<String, ?> metadata, String source)
            throws TokenizerFormatException {
        GgufTokenizerMetadata meta = new GgufTokenizerMetadata(metadata, source);
        String model = meta.requireString(MODEL);
        switch (model) {
            case "llama":
                return sentencePiece(meta);
            case "gpt2":
                return byteLevel(meta);
            default:
                throw new TokenizerFormatException(
                        source, "unsupported " + MODEL + " '" + model + "' (supported: llama, gpt2)");
        }
    }

    private static SentencePieceBpeTokenizer sentencePiece(GgufTokenizerMetadata meta)
            throws TokenizerFormatException {
        String[] tokens = meta.requireStrings(TOKENS);
        int n = tokens.length;
        float[] scores = meta.requireFloats(SCORES, n);
        int bos = meta.has(BOS_ID) ? meta.optionalTokenId(BOS_ID, n) : defaultId(1, n);
        int eos = meta.has(EOS_ID) ? meta.optionalTokenId(EOS_ID, n) : defaultId(2, n);
        int unk = meta.has(UNK_ID) ? meta.optionalTokenId(UNK_ID, n) : defaultId(0, n);
        TokenType[] types = types(meta, tokens);
        if (!meta.has(TOKEN_TYPE)) {
            // Without types, llama.cpp's defaults would print BOS/EOS and byte tokens as text.
            for (int id = 0; id < n; id++) {
                if (ByteTokenText.parse(tokens[id]) >= 0) {
                    types[id] = TokenType.BYTE;
                }
            }
            markIfPresent(types, bos, TokenType.CONTROL);
            markIfPresent(types, eos, TokenType.CONTROL);
            markIfPresent(types, unk, TokenType.UNKNOWN);
        }
        int[] eosIds = endOfGeneration(meta, tokens, types, eos);
        return new SentencePieceBpeTokenizer(
                tokens,
                scores,
                types,
                bos,
                unk,
                eosIds,
                meta.optionalBoolean(ADD_BOS, true),
                meta.optionalBoolean(ADD_SPACE_PREFIX, true));
    }

    private static ByteLevelBpeTokenizer byteLevel(GgufTokenizerMetadata meta) throws TokenizerFormatException {
        String[] tokens = meta.requireStrings(TOKENS);
        int n = tokens.length;
        String[] mergeLines = meta.requireStrings(MERGES);
        String pre = meta.optionalString(PRE);
        PreTokenizer preTokenizer = PreTokenizer.forGgufName(pre, meta.source());
        TokenType[] types = types(meta, tokens);
        Map<String, Integer> vocabulary = new HashMap<>(n * 2);
        List<AddedToken> added = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            TokenType type = types[id];
            if (type == TokenType.CONTROL || type == TokenType.USER_DEFINED) {
                added.add(new AddedToken(tokens[id], id, type == TokenType.CONTROL));
            } else {
                vocabulary.putIfAbsent(tokens[id], id);
            }
        }
        List<String[]> merges = new ArrayList<>(mergeLines.length);
        for (int i = 0; i < mergeLines.length; i++) {
            int space = mergeLines[i].indexOf(' ', 1);
            if (space < 0) {
                throw new TokenizerFormatException(
                        meta.source(), "'" + MERGES + "[" + i + "]' = '" + mergeLines[i]
                                + "' is not two tokens separated by a space");
            }
            merges.add(new String[] {mergeLines[i].substring(0, space), mergeLines[i].substring(space + 1)});
        }
        boolean llama3 = pre != null && IGNORE_MERGES_PRE.contains(pre.toLowerCase(Locale.ROOT));
        int bos = meta.optionalTokenId(BOS_ID, n);
        int eos = meta.optionalTokenId(EOS_ID, n);
        return new ByteLevelBpeTokenizer(
                meta.source(),
                vocabulary,
                merges,
                added,
                preTokenizer,
                null,
                llama3,
                bos,
                endOfGeneration(meta, tokens, types, eos),
                meta.optionalBoolean(ADD_BOS, llama3));
    }

    private static TokenType[] types(GgufTokenizerMetadata meta, String[] tokens) throws TokenizerFormatException {
        int[] codes = meta.optionalInts(TOKEN_TYPE, tokens.length);
        TokenType[] types = new TokenType[tokens.length];
        for (int id = 0; id < tokens.length; id++) {
            types[id] = codes == null ? TokenType.NORMAL : TokenType.ofCode(codes[id]);
        }
        return types;
    }

    private static int defaultId(int id, int vocabSize) {
        return id < vocabSize ? id : -1;
    }

    private static void markIfPresent(TokenType[] types, int id, TokenType type) {
        if (id >= 0) {
            types[id] = type;
        }
    }

    /** EOS, EOT and EOM ids, plus control tokens whose text llama.cpp also treats as an ending. */
    private static int[] endOfGeneration(GgufTokenizerMetadata meta, String[] tokens, TokenType[] types, int eos)
            throws TokenizerFormatException {
        Set<Integer> ids = new LinkedHashSet<>();
        for (int id : new int[] {eos, meta.optionalTokenId(EOT_ID, tokens.length),
                meta.optionalTokenId(EOM_ID, tokens.length)}) {
            if (id >= 0) {
                ids.add(id);
            }
        }
        for (int id = 0; id < tokens.length; id++) {
            if (types[id] == TokenType.CONTROL && END_OF_GENERATION_TEXTS.contains(tokens[id])) {
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
