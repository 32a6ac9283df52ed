package dev.anomaly.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reading the SigIgn mask, and why it matters: a JVM started with SIGINT ignored (as a non-interactive shell starts
 * a background command) still ignores it, while one started through {@code env --default-signal=INT} (what the
 * smoke scripts do) does not.
 */
class IgnoredSignalsTest {

    private static String status(String sigIgn) {
        return "Name:\tjava\nState:\tS (sleeping)\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n"
                + "SigBlk:\t0000000000000000\nSigIgn:\t" + sigIgn + "\nSigCgt:\t2000000181005ccf\n";
    }

    @Test
    void sigintIsTheSecondBitOfTheMask() {
        assertThat(IgnoredSignals.ignores(status("0000000000000002"), IgnoredSignals.SIGINT)).isTrue();
        assertThat(IgnoredSignals.ignores(status("0000000000001006"), IgnoredSignals.SIGINT)).isTrue();
        // SIGHUP (1) and SIGQUIT (3) are the neighbours.
        assertThat(IgnoredSignals.ignores(status("0000000000000005"), IgnoredSignals.SIGINT)).isFalse();
        assertThat(IgnoredSignals.ignores(status("0000000000000000"), IgnoredSignals.SIGINT)).isFalse();
        assertThat(IgnoredSignals.ignores(status("8000000000000002"), 64)).isTrue();
    }

    @Test
    void noMaskMeansNothingKnownToBeIgnored() {
        assertThat(IgnoredSignals.ignores("Name:\tjava\n", IgnoredSignals.SIGINT)).isFalse();
    }

    @Test
    void aJvmStartedWithSigintIgnoredStillIgnoresIt() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux /proc only");
        assertThat(probe("trap '' INT; exec \"$@\"")).isEqualTo("true");
    }

    @Test
    void envDefaultSignalGivesTheJvmSigintBack() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux /proc only");
        assumeTrue(new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0,
                "env --default-signal (coreutils 8.31+)");
        // Ignored first, as in the background of a non-interactive shell, then reset the way the smoke scripts do.
        assertThat(probe("trap '' INT; exec env --default-signal=INT \"$@\"")).isEqualTo("false");
    }

    /** Runs {@link Probe} in a fresh JVM started by {@code sh -c script java -cp ... Probe}; returns its output. */
    private static String probe(String script) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("sh", "-c", script, "sh", java, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe JVM finished").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    /** Prints whether its JVM ignores SIGINT. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(IgnoredSignals.ignores(IgnoredSignals.SIGINT));
        }
    }
}
