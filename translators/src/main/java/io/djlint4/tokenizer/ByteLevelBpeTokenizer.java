package io.djlint4.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GPT-2 style byte-level BPE (Qwen2/2.5/3, Llama 3, SmolLM, GPT-2), matching Hugging Face
 * tokenizers and llama.cpp's {@code tokenizer.ggml.model = "gpt2"}.
 *
 * <p>Encoding: added tokens (such as {@code <|im_start|>}) are cut out as whole tokens first; the
 * text between them is normalized (NFC for Qwen), split into pieces by the pre-tokenizer regex,
 * each piece's UTF-8 bytes are mapped to the byte-level alphabet and merged by merge rank. Results
 * per piece are cached. Decoding maps the byte-level characters back to bytes and skips special
 * tokens.
 */
public final class ByteLevelBpeTokenizer implements TextTokenizer {

    /** Pieces longer than this (long runs of spaces or digits) are not worth caching. */
    private static final int CACHEABLE_LENGTH = 256;
    private static final int CACHE_LIMIT = 100_000;

    private final int vocabSize;
    private final byte[][] decodedPieces;
    private final boolean[] special;
    private final Map<String, Integer> modelIds;
    private final Map<String, Integer> addedIds;
    private final int[] byteSymbolIds;
    private final RankedPairMerger merger;
    private final AddedTokenSplitter splitter;
    private final PreTokenizer preTokenizer;
    private final Normalizer.Form normalization;
    private final boolean ignoreMerges;
    private final int bosId;
    private final int[] eosIds;
    private final boolean addBos;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param source the file or metadata the vocabulary came from, for error messages
     * @param vocabulary model tokens in byte-level form, with their ids
     * @param merges merge pairs in rank order
     * @param addedTokens tokens matched whole before pre-tokenization
     * @param preTokenizer splits text into pieces
     * @param normalization Unicode normalization of text between added tokens, or {@code null}
     * @param ignoreMerges whether a piece that is itself a token skips merging (Llama 3)
     * @param bosId BOS id or -1
     * @param eosIds ids that end generation
     * @param addBos whether prompts should start with BOS
     * @throws TokenizerFormatException when a merge names an unknown token or a byte has no token
     */
    ByteLevelBpeTokenizer(
            String source,
            Map<String, Integer> vocabulary,
            List<String[]> merges,
            List<AddedToken> addedTokens,
            PreTokenizer preTokenizer,
            Normalizer.Form normalization,
            boolean ignoreMerges,
            int bosId,
            int[] eosIds,
            boolean addBos)
            throws TokenizerFormatException {
        int size = 0;
        for (int id : vocabulary.values()) {
            size = Math.max(size, id + 1);
        }
        for (AddedToken token : addedTokens) {
            size = Math.max(size, token.id() + 1);
        }
        this.vocabSize = size;
        this.decodedPieces = new byte[size][];
        this.special = new boolean[size];
        this.modelIds = new HashMap<>(vocabulary);
        this.addedIds = new HashMap<>();
        for (Map.Entry<String, Integer> entry : vocabulary.entrySet()) {
            decodedPieces[entry.getValue()] = ByteLevelAlphabet.decode(entry.getKey());
        }
        for (AddedToken token : addedTokens) {
            special[token.id()] = token.special();
            decodedPieces[token.id()] =
                    token.special() ? new byte[0] : token.content().getBytes(StandardCharsets.UTF_8);
            addedIds.put(token.content(), token.id());
        }
        this.byteSymbolIds = byteSymbolIds(source);
        this.merger = buildMerger(source, merges);
        this.splitter = new AddedTokenSplitter(addedTokens);
        this.preTokenizer = preTokenizer;
        this.normalization = normalization;
        this.ignoreMerges = ignoreMerges;
        this.bosId = bosId;
        this.eosIds = eosIds.clone();
        this.addBos = addBos;
    }

    /**
     * Loads a Hugging Face {@code tokenizer.json} with a byte-level BPE model. When the same
     * directory holds {@code tokenizer_config.json} and {@code generation_config.json}, their BOS
     * and EOS settings are used too.
     *
     * @param tokenizerJson the {@code tokenizer.json} file, or the directory holding it
     * @return the tokenizer
     * @throws TokenizerFormatException when the file is malformed or not a byte-level BPE tokenizer
     * @throws IOException when the file cannot be read
     */
    public static ByteLevelBpeTokenizer fromTokenizerJson(Path tokenizerJson) throws IOException {
        return TokenizerJsonReader.read(tokenizerJson);
    }

    private int[] byteSymbolIds(String source) throws TokenizerFormatException {
        int[] ids = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = modelIds.get(String.valueOf(ByteLevelAlphabet.charOf(b)));
            // Real vocabularies may lack bytes their training text never had (SmolLM2 has no
            // token for 0x04 or the lead byte 0xF1); printable ASCII must be there.
            boolean printableAscii = b >= 0x20 && b <= 0x7E;
            if (id == null && printableAscii) {
                throw new TokenizerFormatException(
                        source, String.format(
                                "not a byte-level BPE vocabulary: no token for byte 0x%02X ('%s')",
                                b, ByteLevelAlphabet.charOf(b)));
            }
            ids[b] = id == null ? -1 : id;
        }
        return ids;
    }

    private RankedPairMerger buildMerger(String source, List<String[]> merges) throws TokenizerFormatException {
        int n = merges.size();
        int[] lefts = new int[n];
        int[] rights = new int[n];
        int[] results = new int[n];
        for (int rank = 0; rank < n; rank++) {
            String[] pair = merges.get(rank);
            lefts[rank] = mergePart(source, rank, pair, pair[0]);
            rights[rank] = mergePart(source, rank, pair, pair[1]);
            results[rank] = mergePart(source, rank, pair, pair[0] + pair[1]);
        }
        return new RankedPairMerger(lefts, rights, results);
    }

    private int mergePart(String source, int rank, String[] pair, String part) throws TokenizerFormatException {
        Integer id = modelIds.get(part);
        if (id == null) {
            throw new TokenizerFormatException(
                    source, "merge " + rank + " ('" + pair[0] + "' '" + pair[1] + "') uses '" + part
                            + "', which is not in the vocabulary");
        }
        return id;
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        IntList out = new IntList(text.length() / 3 + 2);
        if (addBos && bosId >= 0) {
            out.add(bosId);
        }
        for (AddedTokenSplitter.Segment segment : splitter.split(text, parseSpecial)) {
            if (segment.isToken()) {
                out.add(segment.id());
                continue;
            }
            for (String piece : preTokenizer.split(normalize(segment.text()))) {
                out.addAll(encodePiece(piece));
            }
        }
        return out.toArray();
    }

    private String normalize(String text) {
        if (normalization == null || Normalizer.isNormalized(text, normalization)) {
            return text;
        }
        return Normalizer.normalize(text, normalization);
    }

    /** Returns the ids of one piece; callers must not modify the (possibly cached) array. */
    private int[] encodePiece(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        byte[] utf8 = piece.getBytes(StandardCharsets.UTF_8);
        int[] ids = null;
        if (ignoreMerges) {
            Integer whole = modelIds.get(ByteLevelAlphabet.encode(utf8));
            if (whole != null) {
                ids = new int[] {whole};
            }
        }
        if (ids == null) {
            int[] symbols = new int[utf8.length];
            int count = 0;
            for (byte b : utf8) {
                int symbol = byteSymbolIds[b & 0xFF];
                // A byte without a token is dropped, as Hugging Face BPE does without an unknown token.
                if (symbol >= 0) {
                    symbols[count++] = symbol;
                }
            }
            ids = merger.merge(count == symbols.length ? symbols : Arrays.copyOf(symbols, count));
        }
        if (piece.length() <= CACHEABLE_LENGTH) {
            // Crude bound on memory: start over rather than track recency.
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(piece, ids);
        }
        return ids;
    }

    @Override
    public byte[] tokenBytes(int id) {
        if (id < 0 || id >= decodedPieces.length || decodedPieces[id] == null) {
            return new byte[0];
        }
        return decodedPieces[id].clone();
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int[] eosIds() {
        return eosIds.clone();
    }

    @Override
    public boolean addBosByDefault() {
        return addBos;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    /** Looks up an added token by its content, or a model token by its byte-level text. */
    @Override
    public OptionalInt idOf(String token) {
        Integer id = addedIds.get(token);
        if (id == null) {
            id = modelIds.get(token);
        }
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public boolean isSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }
}
