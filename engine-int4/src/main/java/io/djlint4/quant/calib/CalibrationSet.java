package io.djlint4.quant.calib;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The token sequences calibration runs the model on: {@code count} sequences of {@code length}
 * tokens, all of the same length so layer states can be kept side by side.
 *
 * @param sequences the token ids of each sequence
 */
public record CalibrationSet(List<long[]> sequences) {

    /** Checks that there is at least one sequence and that all have the same, positive length. */
    public CalibrationSet {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("a calibration set needs at least one sequence");
        }
        int length = sequences.get(0).length;
        List<long[]> copy = new ArrayList<>(sequences.size());
        for (long[] s : sequences) {
            if (s.length != length || length == 0) {
                throw new IllegalArgumentException(
                        "calibration sequences must share one positive length, got " + s.length + " and " + length);
            }
            copy.add(s.clone());
        }
        sequences = List.copyOf(copy);
    }

    /**
     * Cuts sequences from a tokenized text at random start positions, as the GPTQ reference code
     * samples WikiText-2: the same seed gives the same set.
     *
     * @param tokens the tokenized text
     * @param count the number of sequences
     * @param length tokens per sequence, at most {@code tokens.length}
     * @param seed the random seed of the start positions
     * @return the set
     */
    public static CalibrationSet sample(long[] tokens, int count, int length, long seed) {
        if (count <= 0 || length <= 0) {
            throw new IllegalArgumentException(
                    "calibration needs a positive count and length, got " + count + " x " + length);
        }
        if (tokens.length < length) {
            throw new IllegalArgumentException(
                    "the calibration text has " + tokens.length + " tokens, fewer than one sequence of " + length);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<long[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int start = rnd.nextInt(tokens.length - length + 1);
            long[] s = new long[length];
            System.arraycopy(tokens, start, s, 0, length);
            out.add(s);
        }
        return new CalibrationSet(out);
    }

    /**
     * Draws uniformly random token ids, for models without a text at hand.
     *
     * @param vocabSize ids are drawn from {@code [0, vocabSize)}
     * @param count the number of sequences
     * @param length tokens per sequence
     * @param seed the random seed
     * @return the set
     */
    public static CalibrationSet random(int vocabSize, int count, int length, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<long[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(rnd.longs(length, 0, vocabSize).toArray());
        }
        return new CalibrationSet(out);
    }

    /**
     * Returns the number of sequences.
     *
     * @return the count
     */
    public int count() {
        return sequences.size();
    }

    /**
     * Returns the tokens per sequence.
     *
     * @return the length
     */
    public int length() {
        return sequences.get(0).length;
    }
}
