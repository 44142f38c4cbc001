package io.djlint4.quant.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CalibrationSetTest {

    private static final long[] TEXT = LongStream.range(0, 1000).map(i -> i * 7 % 1000).toArray();

    @Test
    void samplesAreContiguousWindowsOfTheText() {
        CalibrationSet s = CalibrationSet.sample(TEXT, 20, 50, 3);
        assertEquals(20, s.count());
        assertEquals(50, s.length());
        for (long[] seq : s.sequences()) {
            int start = (int) (seq[0] * 143 % 1000); // 7 * 143 = 1001 ≡ 1 (mod 1000) inverts i -> 7i
            assertTrue(start + 50 <= TEXT.length, "window starts at " + start);
            for (int i = 0; i < 50; i++) {
                assertEquals(TEXT[start + i], seq[i]);
            }
        }
    }

    @Test
    void sameSeedSameSetOtherSeedOtherSet() {
        List<long[]> a = CalibrationSet.sample(TEXT, 5, 40, 9).sequences();
        List<long[]> b = CalibrationSet.sample(TEXT, 5, 40, 9).sequences();
        List<long[]> c = CalibrationSet.sample(TEXT, 5, 40, 10).sequences();
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
            differs |= a.get(i)[0] != c.get(i)[0];
        }
        assertTrue(differs);
    }

    @Test
    void textShorterThanOneSequenceIsRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CalibrationSet.sample(new long[10], 2, 11, 0));
        assertTrue(e.getMessage().contains("fewer than one sequence"), e.getMessage());
    }

    @Test
    void sequencesOfDifferentLengthsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CalibrationSet(List.of(new long[3], new long[4])));
        assertThrows(IllegalArgumentException.class, () -> new CalibrationSet(List.of()));
    }

    @Test
    void randomIdsStayInTheVocabulary() {
        CalibrationSet s = CalibrationSet.random(13, 4, 100, 1);
        for (long[] seq : s.sequences()) {
            for (long id : seq) {
                assertTrue(id >= 0 && id < 13);
            }
        }
    }
}
