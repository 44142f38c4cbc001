package io.djlint4.generation;

import io.djlint4.tokenizer.TextTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

/**
 * A test vocabulary: id 0 is BOS, id 1 is EOS (both special), and id {@code 2 + i} is the i-th
 * character of an alphabet given by the test.
 */
final class LetterTokenizer implements TextTokenizer {

    static final int BOS = 0;
    static final int EOS = 1;

    private final String alphabet;

    LetterTokenizer(String alphabet) {
        this.alphabet = alphabet;
    }

    int id(char c) {
        int i = alphabet.indexOf(c);
        if (i < 0) {
            throw new IllegalArgumentException("'" + c + "' is not in the alphabet");
        }
        return i + 2;
    }

    int[] ids(String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = id(text.charAt(i));
        }
        return ids;
    }

    @Override
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        int[] ids = ids(text);
        if (!addBos) {
            return ids;
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = BOS;
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    @Override
    public byte[] tokenBytes(int id) {
        if (id < 2 || id >= vocabSize()) {
            return new byte[0];
        }
        return String.valueOf(alphabet.charAt(id - 2)).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int[] eosIds() {
        return new int[] {EOS};
    }

    @Override
    public boolean addBosByDefault() {
        return true;
    }

    @Override
    public int vocabSize() {
        return alphabet.length() + 2;
    }

    @Override
    public OptionalInt idOf(String token) {
        return token.length() == 1 && alphabet.indexOf(token.charAt(0)) >= 0
                ? OptionalInt.of(id(token.charAt(0)))
                : OptionalInt.empty();
    }

    @Override
    public boolean isSpecial(int id) {
        return id == BOS || id == EOS;
    }
}
