package io.djlint4.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerFilesTest {

    @TempDir
    Path dir;

    @Test
    void theStandardNameWinsOverOtherTokFiles() throws Exception {
        Files.writeString(dir.resolve("tok512.bin"), "");
        Files.writeString(dir.resolve("tokenizer.bin"), "");
        assertEquals(dir.resolve("tokenizer.bin"), TokenizerFiles.llama2cIn(dir));
    }

    @Test
    void theOnlyTokFileBesideACheckpointIsChosen() throws Exception {
        Files.writeString(dir.resolve("tok512.bin"), "");
        assertEquals(dir.resolve("tok512.bin"), TokenizerFiles.llama2cBeside(dir.resolve("model.bin")));
    }

    @Test
    void noneOrSeveralCandidatesAreReportedWithThePlaceSearched() throws Exception {
        TokenizerNotFoundException none =
                assertThrows(TokenizerNotFoundException.class, () -> TokenizerFiles.llama2cIn(dir));
        assertTrue(none.getMessage().contains("in " + dir), none.getMessage());
        Files.writeString(dir.resolve("tok512.bin"), "");
        Files.writeString(dir.resolve("tok4096.bin"), "");
        TokenizerNotFoundException several = assertThrows(TokenizerNotFoundException.class,
                () -> TokenizerFiles.llama2cBeside(dir.resolve("model.bin")));
        assertTrue(several.getMessage().contains("[tok4096.bin, tok512.bin]"), several.getMessage());
        assertTrue(several.getMessage().contains("beside " + dir.resolve("model.bin")), several.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("tokenizer.json");
        TokenizerNotFoundException e =
                assertThrows(TokenizerNotFoundException.class, () -> TokenizerFiles.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(TokenizerFiles.tokenizerJsonIn(dir).isEmpty());
    }
}
