package io.djlint4.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The tokenizer of llama2.c ({@code tokenizer.bin}, {@code tok512.bin}), encoding and decoding
 * exactly like {@code run.c}.
 *
 * <p>File format (little-endian): int32 {@code max_token_length}, then per token float32 score,
 * int32 byte length and the bytes. Ids 0, 1 and 2 are {@code <unk>}, BOS and EOS; ids 3..258 are
 * the byte tokens {@code <0x00>}..{@code <0xFF>}. Spaces are stored as spaces, not as {@code ▁}.
 *
 * <p>Encoding: an optional BOS, a dummy-prefix space token, one token per UTF-8 character (or its
 * bytes as byte tokens when the character is not in the vocabulary), then repeated merging of the
 * adjacent pair whose concatenation is the highest-scoring token. Decoding drops the leading space
 * of the token after BOS and turns byte tokens into bytes. There is no special-token syntax: text
 * such as {@code <s>} is always ordinary text.
 */
public final class Llama2cTokenizer implements TextTokenizer {

    /** The ids run.c hard-codes. */
    private static final int UNK_ID = 0;
    private static final int BOS_ID = 1;
    private static final int EOS_ID = 2;
    private static final int FIRST_BYTE_ID = 3;

    /** run.c only merges into tokens scoring above its initial best score. */
    private static final float MERGE_THRESHOLD = -1e10f;
    private static final String[] NO_UNKNOWN_SYMBOLS = new String[0];

    /** Far above any real tokenizer (Llama 3's 128K vocabulary exports to about 2 MB). */
    private static final long MAX_FILE_BYTES = 256L << 20;
    private static final int MAX_TOKEN_LENGTH_LIMIT = 1 << 16;

    private final String[] pieces;
    private final float[] scores;
    private final Map<String, Integer> idsByPiece;
    private final int dummyPrefixId;
    private final CharacterIds characterIds;
    private final ScoredPairMerger merger;

    private Llama2cTokenizer(String[] pieces, float[] scores, Map<String, Integer> idsByPiece, int dummyPrefixId) {
        this.pieces = pieces;
        this.scores = scores;
        this.idsByPiece = idsByPiece;
        this.dummyPrefixId = dummyPrefixId;
        this.characterIds = new CharacterIds(idsByPiece);
        this.merger = new ScoredPairMerger(pieces, idsByPiece, scores, MERGE_THRESHOLD);
    }

    /**
     * Reads a llama2.c tokenizer file; the vocabulary size is the number of records in it.
     *
     * @param file the {@code tokenizer.bin}-format file
     * @return the tokenizer
     * @throws TokenizerFormatException when the file is truncated, has impossible lengths or lacks
     *     the tokens llama2.c relies on
     * @throws IOException when the file cannot be read
     */
    public static Llama2cTokenizer load(Path file) throws IOException {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(source, null, "llama2.c tokenizer file not found");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new TokenizerFormatException(
                    source, "is " + size + " bytes, too large for a llama2.c tokenizer file");
        }
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int maxTokenLength = readMaxTokenLength(in, source);
        // Each record takes at least 8 bytes, which bounds the arrays by the file size.
        String[] pieces = new String[in.remaining() / 8];
        float[] scores = new float[pieces.length];
        int count = 0;
        while (in.hasRemaining()) {
            scores[count] = readScore(in, count, source);
            pieces[count] = readPiece(in, count, maxTokenLength, source);
            count++;
        }
        pieces = Arrays.copyOf(pieces, count);
        scores = Arrays.copyOf(scores, count);
        checkReservedIds(pieces, source);
        Map<String, Integer> idsByPiece = new HashMap<>(count * 2);
        for (int id = count - 1; id >= 0; id--) {
            // Filled backwards so that a repeated text maps to its lowest id.
            idsByPiece.put(pieces[id], id);
        }
        Integer dummyPrefixId = idsByPiece.get(" ");
        if (dummyPrefixId == null) {
            throw new TokenizerFormatException(
                    source, "has no single-space token, which llama2.c encoding needs as dummy prefix");
        }
        return new Llama2cTokenizer(pieces, scores, idsByPiece, dummyPrefixId);
    }

    private static int readMaxTokenLength(ByteBuffer in, String source) throws TokenizerFormatException {
        if (in.remaining() < 4) {
            throw new TokenizerFormatException(
                    source, "has " + in.remaining() + " bytes, too short for the max_token_length header");
        }
        int maxTokenLength = in.getInt();
        if (maxTokenLength <= 0 || maxTokenLength > MAX_TOKEN_LENGTH_LIMIT) {
            throw new TokenizerFormatException(
                    source, "max_token_length " + maxTokenLength + " is outside 1.." + MAX_TOKEN_LENGTH_LIMIT);
        }
        return maxTokenLength;
    }

    private static float readScore(ByteBuffer in, int index, String source) throws TokenizerFormatException {
        if (in.remaining() < 8) {
            throw new TokenizerFormatException(
                    source, "token " + index + ": record header truncated, " + in.remaining()
                            + " bytes left where 8 are needed");
        }
        return in.getFloat();
    }

    private static String readPiece(ByteBuffer in, int index, int maxTokenLength, String source)
            throws TokenizerFormatException {
        int length = in.getInt();
        if (length < 0 || length > maxTokenLength) {
            throw new TokenizerFormatException(
                    source, "token " + index + ": length " + length + " is outside 0..max_token_length "
                            + maxTokenLength);
        }
        if (length > in.remaining()) {
            throw new TokenizerFormatException(
                    source, "token " + index + ": length " + length + " exceeds the " + in.remaining()
                            + " bytes left (file truncated)");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        // ISO-8859-1 keeps every byte as one char, so token bytes survive as map keys unchanged.
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** run.c hard-codes BOS 1, EOS 2 and byte token {@code b + 3}; a file must agree. */
    private static void checkReservedIds(String[] pieces, String source) throws TokenizerFormatException {
        if (pieces.length < FIRST_BYTE_ID + 256) {
            throw new TokenizerFormatException(
                    source, "has " + pieces.length + " tokens; llama2.c needs at least 259 (<unk>, BOS, EOS "
                            + "and 256 byte tokens)");
        }
        for (int b = 0; b < 256; b++) {
            String expected = ByteTokenText.of(b);
            if (!pieces[FIRST_BYTE_ID + b].equals(expected)) {
                throw new TokenizerFormatException(
                        source, "token " + (FIRST_BYTE_ID + b) + " should be the byte token " + expected
                                + " but is '" + pieces[FIRST_BYTE_ID + b] + "'");
            }
        }
    }

    /**
     * Encodes like run.c's {@code encode}. {@code parseSpecial} is ignored: llama2.c has no
     * special-token syntax.
     */
    @Override
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[utf8.length + 2];
        int n = 0;
        if (addBos) {
            symbols[n++] = BOS_ID;
        }
        if (utf8.length > 0) {
            symbols[n++] = dummyPrefixId;
        }
        int start = 0;
        while (start < utf8.length) {
            // Group a lead byte with up to three continuation bytes, as run.c does.
            int end = start + 1;
            while (end < utf8.length && (utf8[end] & 0xC0) == 0x80 && end - start < 4) {
                end++;
            }
            int id = characterIds.idOf(utf8, start, end);
            if (id >= 0) {
                symbols[n++] = id;
            } else {
                for (int i = start; i < end; i++) {
                    symbols[n++] = FIRST_BYTE_ID + (utf8[i] & 0xFF);
                }
            }
            start = end;
        }
        return merger.merge(Arrays.copyOf(symbols, n), NO_UNKNOWN_SYMBOLS);
    }

    @Override
    public byte[] tokenBytes(int id) {
        if (id < 0 || id >= pieces.length || isSpecial(id)) {
            return new byte[0];
        }
        int value = ByteTokenText.parse(pieces[id]);
        if (value >= 0) {
            return new byte[] {(byte) value};
        }
        return pieces[id].getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Drops the leading space of the token after BOS, like run.c's {@code decode}. */
    @Override
    public byte[] pieceBytes(int previousId, int id) {
        byte[] bytes = tokenBytes(id);
        if (previousId == BOS_ID && bytes.length > 0 && bytes[0] == ' ') {
            return Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return bytes;
    }

    @Override
    public int bosId() {
        return BOS_ID;
    }

    @Override
    public int[] eosIds() {
        return new int[] {EOS_ID};
    }

    @Override
    public boolean addBosByDefault() {
        return true;
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    /** Looks a token up by its stored text, in which spaces are plain spaces. */
    @Override
    public OptionalInt idOf(String token) {
        byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
        Integer id = idsByPiece.get(new String(utf8, StandardCharsets.ISO_8859_1));
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The first three ids ({@code <unk>}, BOS, EOS) are special. */
    @Override
    public boolean isSpecial(int id) {
        return id == UNK_ID || id == BOS_ID || id == EOS_ID;
    }

    /**
     * Returns a token's merge score.
     *
     * @param id the token id
     * @return the score stored in the file
     */
    public float score(int id) {
        return scores[id];
    }

    /**
     * Returns a token's stored bytes (byte tokens as their {@code <0xXX>} text, BOS and EOS as
     * stored, for example {@code "\n<s>\n"}).
     *
     * @param id the token id
     * @return the bytes (a fresh array)
     */
    public byte[] storedBytes(int id) {
        return pieces[id].getBytes(StandardCharsets.ISO_8859_1);
    }
}
