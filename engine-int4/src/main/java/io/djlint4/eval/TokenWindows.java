package io.djlint4.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a tokenized text into non-overlapping evaluation windows. Each window starts with the BOS
 * token followed by the next {@code size - 1} text tokens, so every window sees the same kind of
 * first position the model was trained with; a tail shorter than a full window is dropped.
 */
public final class TokenWindows {

    private TokenWindows() {}

    /**
     * Splits text tokens into windows.
     *
     * @param textTokens the tokenized text, without BOS
     * @param bos the BOS token id, or a negative value to use plain windows of {@code size} text
     *     tokens
     * @param size the window length in tokens, BOS included; at least 2
     * @param maxWindows the most windows to return, or 0 for all
     * @return the windows
     */
    public static List<long[]> split(int[] textTokens, int bos, int size, int maxWindows) {
        if (size < 2) {
            throw new IllegalArgumentException("window size must be at least 2, got " + size);
        }
        int textPerWindow = bos >= 0 ? size - 1 : size;
        List<long[]> windows = new ArrayList<>();
        for (int start = 0; start + textPerWindow <= textTokens.length; start += textPerWindow) {
            if (maxWindows > 0 && windows.size() == maxWindows) {
                break;
            }
            long[] w = new long[size];
            int o = 0;
            if (bos >= 0) {
                w[o++] = bos;
            }
            for (int i = 0; i < textPerWindow; i++) {
                w[o++] = textTokens[start + i];
            }
            windows.add(w);
        }
        return windows;
    }
}
