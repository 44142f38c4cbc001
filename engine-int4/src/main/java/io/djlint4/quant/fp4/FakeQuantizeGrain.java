package io.djlint4.quant.fp4;

/** How many rows of a fake quantization are worth a thread of their own. */
final class FakeQuantizeGrain {

    /** About 16k values, tens of microseconds of rounding: enough to amortize handing out work. */
    private static final int VALUES = 1 << 14;

    private FakeQuantizeGrain() {}

    /** Returns the smallest chunk of rows of the given width, at least one. */
    static int rows(int width) {
        return Math.max(1, VALUES / Math.max(1, width));
    }
}
