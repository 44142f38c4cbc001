package io.djlint4.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TokenPanelsTest {

    @Test
    void fullBlocksAreColumnInterleavedAndTheRestStaysRowMajor() {
        int rows = 14;
        int in = 5;
        int block = 6;
        float[] a = new float[rows * in];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        float[] packed = new float[rows * in];
        TokenPanels.pack(a, rows, in, block, packed);
        for (int t = 0; t < 12; t++) {
            int t0 = t / block * block;
            for (int k = 0; k < in; k++) {
                assertEquals(a[t * in + k], packed[t0 * in + k * block + (t - t0)], "token " + t + " col " + k);
            }
        }
        for (int t = 12; t < rows; t++) {
            for (int k = 0; k < in; k++) {
                assertEquals(a[t * in + k], packed[t * in + k], "token " + t + " col " + k);
            }
        }
    }
}
