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
    void filesAModelDirectoryNamesStayInsideIt() throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(dir.resolve("secret.json"), "not for the model");
        Files.createSymbolicLink(model.resolve("link.json"), dir.resolve("secret.json"));
        for (String name : new String[] {"../secret.json", "/etc/passwd", "sub/../../secret.json", "link.json"}) {
            java.nio.file.FileSystemException e = assertThrows(java.nio.file.FileSystemException.class,
                    () -> TokenizerFiles.resolveInside(model, name), name);
            assertEquals(model + ": model file '" + name + "' is not inside the model directory; name files"
                    + " relative to it", e.getMessage());
        }
        assertEquals(model.resolve("tok/tokenizer.json").toAbsolutePath(),
                TokenizerFiles.resolveInside(model, "tok/./tokenizer.json"));
    }

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
