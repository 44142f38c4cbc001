package io.djlint4.quant;

/**
 * Hears how far a calibrating recipe has got, so a front end can show a progress bar: called
 * after each calibrated layer (or calibration sequence), on the calibrating thread.
 */
@FunctionalInterface
public interface CalibrationProgress {

    /** Ignores every update. */
    CalibrationProgress NONE = (stage, done, total) -> { };

    /**
     * Reports progress.
     *
     * @param stage what is being counted, such as {@code "gptq layers"}
     * @param done how many are done
     * @param total how many there are
     */
    void update(String stage, int done, int total);
}
