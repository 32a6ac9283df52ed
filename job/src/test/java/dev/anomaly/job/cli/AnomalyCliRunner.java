package dev.anomaly.job.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code bin/anomaly}'s entry point in-process and captures its exit code and output (tests of other packages). */
public final class AnomalyCliRunner {

    private AnomalyCliRunner() {
    }

    /** Exit code and output of one command line. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AnomalyCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
