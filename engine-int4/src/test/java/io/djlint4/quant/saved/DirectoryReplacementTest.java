package io.djlint4.quant.saved;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a directory never deletes an input, and interrupted writes leave nothing for long. */
class DirectoryReplacementTest {

    /** No process has this id on Linux (pid_max is at most 2^22). */
    private static final long DEAD_PID = 99_999_999L;

    @TempDir
    Path tmp;

    @Test
    void targetThatIsHoldsOrLiesInsideAnInputIsRefused() throws IOException {
        Path modelDir = Files.createDirectories(tmp.resolve("hf"));
        Path bin = Files.writeString(Files.createDirectories(tmp.resolve("models")).resolve("stories.bin"), "x");
        assertRefused(modelDir, modelDir, "is the input");
        assertRefused(tmp.resolve("models"), bin, "holds the input");
        assertRefused(tmp, bin, "holds the input");
        assertRefused(modelDir.resolve("quantized"), modelDir, "lies inside the input");
        assertRefused(tmp.resolve("models/./../models"), bin, "holds the input");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("models"));
        assertRefused(link, bin, "holds the input");
        assertDoesNotThrow(() -> DirectoryReplacement.requireApart(tmp.resolve("out"), List.of(bin, modelDir)));
        assertDoesNotThrow(() -> DirectoryReplacement.requireApart(tmp.resolve("hf2"), List.of(modelDir)));
    }

    @Test
    void rootAndFilesAreNoTargets() throws IOException {
        FileSystemException root = assertThrows(FileSystemException.class,
                () -> DirectoryReplacement.checkTarget(Path.of("/"), true));
        assertEquals("/: is a file system root, which cannot be replaced", root.getMessage());
        Path file = Files.writeString(tmp.resolve("afile"), "x");
        FileSystemException f = assertThrows(FileSystemException.class,
                () -> DirectoryReplacement.checkTarget(file, true));
        assertTrue(f.getReason().startsWith("exists and is not a directory"), f.getMessage());
        assertFalse(f instanceof java.nio.file.FileAlreadyExistsException, "--force cannot help, so it is not suggested");
    }

    @Test
    void abandonedWorkingDirectoriesAreSweptAndLiveOnesKept() throws IOException {
        Path target = tmp.resolve("out");
        Path dead = Files.createDirectories(tmp.resolve(".out." + DEAD_PID + ".123"));
        Files.writeString(dead.resolve("model.safetensors"), "partial");
        Path live = Files.createDirectories(tmp.resolve(".out." + ProcessHandle.current().pid() + ".456"));
        Path other = Files.createDirectories(tmp.resolve(".outer." + DEAD_PID + ".1"));
        Path work = DirectoryReplacement.createBeside(target);
        assertFalse(Files.exists(dead));
        assertTrue(Files.exists(live), "a write still running keeps its directory");
        assertTrue(Files.exists(other), "another target's directories are not ours");
        assertTrue(work.getFileName().toString().startsWith(".out." + ProcessHandle.current().pid() + "."), work::toString);
    }

    @Test
    void anInterruptedPublishGetsTheOldDirectoryBack() throws IOException {
        Path target = tmp.resolve("out");
        Path old = Files.createDirectories(tmp.resolve(".out." + DEAD_PID + ".7.old"));
        Files.writeString(old.resolve("int4-quantized.json"), "{}");
        DirectoryReplacement.sweepAbandoned(target);
        assertEquals("{}", Files.readString(target.resolve("int4-quantized.json")));
        assertFalse(Files.exists(old));
    }

    @Test
    void shutdownHookIsRemovedAfterUse() throws IOException {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Thread hook = DirectoryReplacement.cleanupOnShutdown(work);
        DirectoryReplacement.cancelCleanup(hook);
        assertFalse(Runtime.getRuntime().removeShutdownHook(hook), "the hook was removed already");
        hook.run();
        assertFalse(Files.exists(work), "the hook deletes the working directory");
    }

    private static void assertRefused(Path target, Path input, String reason) {
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> DirectoryReplacement.requireApart(target, List.of(input)));
        assertTrue(e.getReason().startsWith(reason + " " + input), e::getMessage);
    }
}
