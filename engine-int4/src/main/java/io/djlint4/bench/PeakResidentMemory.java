package io.djlint4.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident set size as the kernel counts it ({@code VmHWM} of {@code
 * /proc/self/status}): heap, metaspace, thread stacks, mapped files and native buffers together,
 * the figure to hold beside another program's peak RSS.
 */
public final class PeakResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakResidentMemory() {}

    /**
     * Reads the peak so far.
     *
     * @return the peak in bytes, or -1 where the kernel does not say (not Linux)
     */
    public static long bytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
