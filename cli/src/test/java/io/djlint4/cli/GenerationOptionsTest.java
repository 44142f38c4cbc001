package io.djlint4.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.djlint4.generation.GenerationResult;
import io.djlint4.generation.StopReason;
import org.junit.jupiter.api.Test;

/** A run cut short by the context, not by {@code --max-tokens}, says so. */
class GenerationOptionsTest {

    @Test
    void theContextLimitIsReportedAsSuch() {
        GenerationResult full = new GenerationResult(new int[] {1}, new int[] {2, 3}, "ab", StopReason.MAX_TOKENS, 1, 1, 1);
        assertEquals("context_length", GenerationOptions.stopReason(full, 100000, 2));
        assertEquals("max_tokens", GenerationOptions.stopReason(full, 2, 2));
        GenerationResult eos = new GenerationResult(new int[] {1}, new int[] {2}, "a", StopReason.EOS, 1, 1, 1);
        assertEquals("eos", GenerationOptions.stopReason(eos, 100000, 2));
    }
}
