package dev.anomaly.job.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The signals this process ignores, as Linux reports them (the SigIgn mask of /proc/self/status). A process started
 * with SIGINT ignored keeps ignoring it across exec, and the JVM then installs no handler for it: Ctrl-C and
 * {@code kill -INT} reach nothing and no shutdown hook runs. A non-interactive shell starts every command it runs in
 * the background ({@code cmd &}) that way, and everything started from such a command inherits it. {@code anomaly
 * run} says so at start instead of seeming to hang on Ctrl-C.
 */
final class IgnoredSignals {
    static final int SIGINT = 2;
    private static final Path STATUS = Path.of("/proc/self/status");

    private IgnoredSignals() {
    }

    /** Whether this process ignores {@code signal}; false where /proc/self/status cannot be read (not Linux). */
    static boolean ignores(int signal) {
        try {
            return ignores(Files.readString(STATUS), signal);
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    /** Whether the SigIgn mask of {@code procStatus} (the text of a /proc/PID/status) holds {@code signal}. */
    static boolean ignores(String procStatus, int signal) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (mask >>> (signal - 1) & 1L) != 0;
            }
        }
        return false;
    }
}
