package io.djlint4.eval;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Token windows, each run from an empty cache, and which of their positions are scored: the
 * logits at positions {@code firstScored .. length - 2} predict the tokens after them. Today's
 * protocol scores every position ({@code firstScored = 0}); llama.cpp's scores the second half of
 * each chunk ({@code firstScored = ctx / 2}), so every scored token has at least half a window of
 * context.
 *
 * @param windows the windows, each at least {@code firstScored + 2} tokens long
 * @param firstScored the first position whose logits are scored
 */
public record ScoredWindows(List<long[]> windows, int firstScored) {

    /**
     * Checks that every window has a token to score.
     *
     * @throws IllegalArgumentException when a window is too short or {@code firstScored} negative
     */
    public ScoredWindows {
        windows = List.copyOf(windows);
        if (firstScored < 0) {
            throw new IllegalArgumentException("firstScored must not be negative, got " + firstScored);
        }
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i).length < firstScored + 2) {
                throw new IllegalArgumentException("window " + i + " has " + windows.get(i).length
                        + " tokens, too few to score any from position " + firstScored);
            }
        }
    }

    /**
     * Windows whose every position is scored.
     *
     * @param windows the windows
     * @return the scored windows
     */
    public static ScoredWindows all(List<long[]> windows) {
        return new ScoredWindows(windows, 0);
    }

    /**
     * Returns the number of scored positions of one window.
     *
     * @param index the window's index
     * @return {@code length - 1 - firstScored}
     */
    public int scored(int index) {
        return windows.get(index).length - 1 - firstScored;
    }

    /**
     * Returns the number of scored positions of all windows.
     *
     * @return the total
     */
    public long scoredTokens() {
        long n = 0;
        for (int i = 0; i < windows.size(); i++) {
            n += scored(i);
        }
        return n;
    }

    /**
     * Returns the number of token ids in all windows.
     *
     * @return the total
     */
    public long tokenCount() {
        long n = 0;
        for (long[] w : windows) {
            n += w.length;
        }
        return n;
    }

    /**
     * Returns a SHA-256 digest of the windows' token ids, their lengths and {@code firstScored}:
     * what a saved base distribution is checked against.
     *
     * @return the digest in lower-case hex
     */
    public String tokenHash() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        sha.update(b.putInt(0, windows.size()).putInt(4, firstScored).array());
        for (long[] w : windows) {
            sha.update(b.putInt(0, w.length).putInt(4, 0).array(), 0, 4);
            for (long id : w) {
                sha.update(b.putInt(0, (int) id).array(), 0, 4);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Tells whether two sets of scored windows hold the same ids and score the same positions.
     *
     * @param other the other windows
     * @return {@code true} when equal
     */
    public boolean sameAs(ScoredWindows other) {
        if (firstScored != other.firstScored || windows.size() != other.windows.size()) {
            return false;
        }
        for (int i = 0; i < windows.size(); i++) {
            if (!java.util.Arrays.equals(windows.get(i), other.windows.get(i))) {
                return false;
            }
        }
        return true;
    }
}
