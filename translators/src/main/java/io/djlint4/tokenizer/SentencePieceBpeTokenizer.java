package io.djlint4.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A SentencePiece BPE tokenizer as llama.cpp runs it for GGUF files with {@code
 * tokenizer.ggml.model = "llama"} (LLaMA 1/2, Mistral, TinyLlama and friends).
 *
 * <p>Encoding: control and user-defined tokens written in the text are cut out first; every other
 * run of text gets a leading space when it starts the input or follows a special token ({@code
 * add_space_prefix}), has its spaces replaced by {@code ▁} (U+2581), and is merged by score from
 * single characters; characters that end up in no token fall back to byte tokens {@code <0xXX>}.
 * Decoding turns {@code ▁} back into spaces, byte tokens into bytes, skips control and unknown
 * tokens, and drops the leading space of the first word.
 */
public final class SentencePieceBpeTokenizer implements TextTokenizer {

    private static final String SPACE_MARK = "\u2581";

    private final String[] texts;
    private final TokenType[] types;
    private final byte[][] decodedPieces;
    private final Map<String, Integer> idsByText;
    private final int[] byteIds;
    private final int bosId;
    private final int unkId;
    private final int[] eosIds;
    private final boolean addBos;
    private final boolean addSpacePrefix;
    private final AddedTokenSplitter splitter;
    private final CharacterIds characterIds;
    private final ScoredPairMerger merger;

    /**
     * @param tokens token texts by id, spaces written as {@code ▁}
     * @param scores merge scores by id
     * @param types token types by id
     * @param bosId BOS id or -1
     * @param unkId unknown-token id or -1
     * @param eosIds ids that end generation
     * @param addBos whether prompts should start with BOS
     * @param addSpacePrefix whether each text run gets a leading space
     */
    SentencePieceBpeTokenizer(
            String[] tokens,
            float[] scores,
            TokenType[] types,
            int bosId,
            int unkId,
            int[] eosIds,
            boolean addBos,
            boolean addSpacePrefix) {
        int n = tokens.length;
        this.texts = new String[n];
        this.types = types.clone();
        this.decodedPieces = new byte[n][];
        this.idsByText = new HashMap<>(n * 2);
        List<AddedToken> added = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            byte[] utf8 = tokens[id].getBytes(StandardCharsets.UTF_8);
            texts[id] = new String(utf8, StandardCharsets.ISO_8859_1);
            idsByText.putIfAbsent(texts[id], id);
            decodedPieces[id] = decodedPiece(tokens[id], types[id]);
            TokenType type = types[id];
            if (type == TokenType.CONTROL || type == TokenType.UNKNOWN || type == TokenType.USER_DEFINED) {
                added.add(new AddedToken(tokens[id], id, type != TokenType.USER_DEFINED));
            }
        }
        this.byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            byteIds[b] = byteTokenId(b, unkId);
        }
        this.bosId = bosId;
        this.unkId = unkId;
        this.eosIds = eosIds.clone();
        this.addBos = addBos;
        this.addSpacePrefix = addSpacePrefix;
        this.splitter = new AddedTokenSplitter(added);
        this.characterIds = new CharacterIds(idsByText);
        this.merger = new ScoredPairMerger(texts, idsByText, scores.clone(), Float.NEGATIVE_INFINITY);
    }

    private static byte[] decodedPiece(String token, TokenType type) {
        switch (type) {
            case NORMAL:
                return token.replace(SPACE_MARK, " ").getBytes(StandardCharsets.UTF_8);
            case USER_DEFINED:
                return token.getBytes(StandardCharsets.UTF_8);
            case BYTE:
                int value = ByteTokenText.parse(token);
                return value >= 0 ? new byte[] {(byte) value} : new byte[0];
            default:
                return new byte[0];
        }
    }

    /** llama.cpp looks for {@code <0xXX>}, then the byte itself as a token; we then use unk. */
    private int byteTokenId(int b, int unknownId) {
        Integer id = idsByText.get(ByteTokenText.of(b));
        if (id == null) {
            id = idsByText.get(String.valueOf((char) b));
        }
        return id != null ? id : unknownId;
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        IntList out = new IntList(text.length() / 2 + 2);
        if (addBos && bosId >= 0) {
            out.add(bosId);
        }
        boolean afterSpecial = true;
        for (AddedTokenSplitter.Segment segment : splitter.split(text, parseSpecial)) {
            if (segment.isToken()) {
                out.add(segment.id());
                afterSpecial = true;
                continue;
            }
            String run = (addSpacePrefix && afterSpecial ? " " : "") + segment.text();
            encodeRun(run.replace(" ", SPACE_MARK), out);
            afterSpecial = false;
        }
        return out.toArray();
    }

    private void encodeRun(String run, IntList out) {
        byte[] utf8 = run.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[utf8.length];
        List<String> unknownTexts = new ArrayList<>();
        int n = 0;
        int start = 0;
        while (start < utf8.length) {
            int end = Math.min(utf8.length, start + utf8SequenceLength(utf8[start]));
            int id = characterIds.idOf(utf8, start, end);
            if (id < 0) {
                unknownTexts.add(new String(utf8, start, end - start, StandardCharsets.ISO_8859_1));
                symbols[n++] = -unknownTexts.size();
            } else {
                symbols[n++] = id;
            }
            start = end;
        }
        String[] unknown = unknownTexts.toArray(new String[0]);
        for (int symbol : merger.merge(Arrays.copyOf(symbols, n), unknown)) {
            if (symbol >= 0) {
                out.add(symbol);
                continue;
            }
            String character = unknown[-symbol - 1];
            for (int i = 0; i < character.length(); i++) {
                int b = character.charAt(i);
                if (byteIds[b] < 0) {
                    throw new IllegalArgumentException(String.format(
                            "cannot encode byte 0x%02X: the vocabulary has no byte token and no <unk>", b));
                }
                out.add(byteIds[b]);
            }
        }
    }

    /** The UTF-8 sequence length announced by a lead byte, as llama.cpp's unicode_len_utf8. */
    private static int utf8SequenceLength(byte lead) {
        int highBits = (lead & 0xFF) >> 4;
        return highBits < 0xC ? 1 : highBits < 0xE ? 2 : highBits == 0xE ? 3 : 4;
    }

    @Override
    public byte[] tokenBytes(int id) {
        return id >= 0 && id < decodedPieces.length ? decodedPieces[id].clone() : new byte[0];
    }

    /** Drops the space that {@code add_space_prefix} put in front of the first word. */
    @Override
    public byte[] pieceBytes(int previousId, int id) {
        byte[] bytes = tokenBytes(id);
        boolean atStart = previousId == NO_TOKEN || (previousId == bosId && bosId >= 0);
        if (addSpacePrefix && atStart && bytes.length > 0 && bytes[0] == ' ') {
            return Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return bytes;
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
        return texts.length;
    }

    /** Looks a token up by its stored text, in which spaces are {@code ▁}. */
    @Override
    public OptionalInt idOf(String token) {
        byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
        Integer id = idsByText.get(new String(utf8, StandardCharsets.ISO_8859_1));
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Control, unknown and unused tokens are special. */
    @Override
    public boolean isSpecial(int id) {
        if (id < 0 || id >= types.length) {
            return false;
        }
        TokenType type = types[id];
        return type == TokenType.CONTROL || type == TokenType.UNKNOWN || type == TokenType.UNUSED
                || id == bosId || id == unkId || containsEos(id);
    }

    private boolean containsEos(int id) {
        for (int eos : eosIds) {
            if (eos == id) {
                return true;
            }
        }
        return false;
    }
}
