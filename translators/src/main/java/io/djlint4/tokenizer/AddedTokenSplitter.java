package io.djlint4.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts text into runs of ordinary text and whole added tokens (such as {@code <|im_start|>}),
 * taking the leftmost match and, among matches starting there, the longest, like Hugging Face
 * tokenizers.
 */
final class AddedTokenSplitter {

    /**
     * One piece of the input: either ordinary text ({@code id == -1}) or an added token.
     *
     * @param text the text of the piece
     * @param id the added token's id, or -1 for ordinary text
     */
    record Segment(String text, int id) {
        boolean isToken() {
            return id >= 0;
        }
    }

    private final Map<Character, List<AddedToken>> byFirstChar = new HashMap<>();

    AddedTokenSplitter(List<AddedToken> tokens) {
        for (AddedToken token : tokens) {
            if (!token.content().isEmpty()) {
                byFirstChar.computeIfAbsent(token.content().charAt(0), c -> new ArrayList<>()).add(token);
            }
        }
        Comparator<AddedToken> longestFirst =
                Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed();
        byFirstChar.values().forEach(list -> list.sort(longestFirst));
    }

    /**
     * Splits text.
     *
     * @param text the input
     * @param includeSpecial whether special tokens are matched; other added tokens always are
     * @return the segments in order; ordinary-text segments are never empty
     */
    List<Segment> split(String text, boolean includeSpecial) {
        List<Segment> segments = new ArrayList<>();
        if (byFirstChar.isEmpty()) {
            if (!text.isEmpty()) {
                segments.add(new Segment(text, -1));
            }
            return segments;
        }
        int plainStart = 0;
        int i = 0;
        while (i < text.length()) {
            AddedToken match = matchAt(text, i, includeSpecial);
            if (match == null) {
                i++;
                continue;
            }
            if (i > plainStart) {
                segments.add(new Segment(text.substring(plainStart, i), -1));
            }
            segments.add(new Segment(match.content(), match.id()));
            i += match.content().length();
            plainStart = i;
        }
        if (plainStart < text.length()) {
            segments.add(new Segment(text.substring(plainStart), -1));
        }
        return segments;
    }

    private AddedToken matchAt(String text, int index, boolean includeSpecial) {
        List<AddedToken> candidates = byFirstChar.get(text.charAt(index));
        if (candidates == null) {
            return null;
        }
        for (AddedToken token : candidates) {
            if ((includeSpecial || !token.special()) && text.startsWith(token.content(), index)) {
                return token;
            }
        }
        return null;
    }
}
