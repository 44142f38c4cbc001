package io.djlint4.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams single byte tokens of the tiny byte-level vocabulary (ids 0..255 are the bytes). */
class StreamingDecoderTest {

    @TempDir
    Path tempDir;

    private TextTokenizer tokenizer() throws IOException {
        return ByteLevelBpeTokenizer.fromTokenizerJson(TinyTokenizerJson.write(tempDir, TinyTokenizerJson.json()));
    }

    @Test
    void multiByteCharacterAppearsWhenComplete() throws IOException {
        StreamingDecoder decoder = new StreamingDecoder(tokenizer());
        assertEquals("a", decoder.append('a'));
        assertEquals("", decoder.append(0xF0));
        assertEquals("", decoder.append(0x9F));
        assertEquals("", decoder.append(0xA6));
        assertEquals("🦙", decoder.append(0x99));
        assertEquals("", decoder.append(0xE4));
        assertEquals("", decoder.append(0xB8));
        assertEquals("中", decoder.append(0xAD));
        assertEquals("", decoder.flush());
    }

    @Test
    void invalidBytesAreNotHeldBack() throws IOException {
        StreamingDecoder decoder = new StreamingDecoder(tokenizer());
        // A stray continuation byte and an impossible lead byte cannot start a character.
        assertEquals("\uFFFD", decoder.append(0x80));
        assertEquals("\uFFFD", decoder.append(0xFF));
        assertEquals("", decoder.append(0xE4));
        assertEquals("\uFFFDx", decoder.append('x'), "an interrupted character is released as U+FFFD");
    }

    @Test
    void flushReleasesAnIncompleteCharacter() throws IOException {
        StreamingDecoder decoder = new StreamingDecoder(tokenizer());
        assertEquals("", decoder.append(0xE4));
        assertEquals("", decoder.append(0xB8));
        assertEquals("\uFFFD", decoder.flush());
        assertEquals("", decoder.flush());
    }

    @Test
    void specialTokensContributeNothingButOtherAddedTokensDo() throws IOException {
        StreamingDecoder decoder = new StreamingDecoder(tokenizer());
        assertEquals("", decoder.append(TinyTokenizerJson.BEGIN_OF_TEXT));
        assertEquals("<think>", decoder.append(TinyTokenizerJson.THINK));
        assertEquals("", decoder.append(TinyTokenizerJson.END_OF_TURN));
    }
}
