package dev.anomaly.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code anomaly bench} at tiny sizes, both modes: the last-line contract and the JSON line before it. */
class BenchCommandTest {
    private static final Pattern LAST_LINE = Pattern.compile(
            "samples_per_sec=([0-9.]+) p50_ms=([0-9.]+) p99_ms=([0-9.]+) state_bytes_per_series=([0-9.]+)");

    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AnomalyCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("exit code; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8).strip().split("\n");
    }

    @Test
    void hotModeEndsWithTheKeyValueLine() {
        String[] lines = run("bench", "--series", "3", "--samples", "300", "--mode", "hot", "--seq-len", "20",
                "--json");
        Matcher m = LAST_LINE.matcher(lines[lines.length - 1]);
        assertThat(m.matches()).as(lines[lines.length - 1]).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isPositive();
        double p50 = Double.parseDouble(m.group(2));
        assertThat(Double.parseDouble(m.group(3))).isGreaterThanOrEqualTo(p50);
        assertThat(Double.parseDouble(m.group(4))).isBetween(100.0, 100_000.0);
        assertThat(lines[lines.length - 2]).startsWith("{\"samples_per_sec\":").contains("\"mode\":\"hot\"")
                .contains("\"series\":3").contains("\"samples\":300").endsWith("}");
    }

    @Test
    void jobModeScoresEverySampleAndMeasuresACheckpoint() {
        String[] lines = run("bench", "--series", "4", "--samples", "400", "--parallelism", "2", "--mode", "job",
                "--seq-len", "20", "--json");
        Matcher m = LAST_LINE.matcher(lines[lines.length - 1]);
        assertThat(m.matches()).as(lines[lines.length - 1]).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isPositive();
        assertThat(Double.parseDouble(m.group(4))).as("checkpoint bytes per series").isPositive();
        assertThat(lines[lines.length - 2]).contains("\"mode\":\"job\"").contains("\"results\":400")
                .contains("\"parallelism\":2");
    }

    @Test
    void jobModeWithBatchedInferenceEmitsEveryResultOnce() {
        // 2-second checkpoints run while batches wait: every sample still gives exactly one result
        String[] lines = run("bench", "--series", "40", "--samples", "8000", "--parallelism", "2", "--mode", "job",
                "--seq-len", "20", "--rate", "2000", "--inference-batch-size", "16", "--inference-max-delay", "20ms",
                "--json");
        assertThat(LAST_LINE.matcher(lines[lines.length - 1]).matches()).as(lines[lines.length - 1]).isTrue();
        assertThat(lines[lines.length - 2]).contains("\"results\":8000").contains("\"inference_batch_size\":16")
                .contains("\"inference_max_delay_ms\":20").containsPattern("\"checkpoint_id\":[1-9]");
    }

    @Test
    void badSizesAreUsageErrors() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AnomalyCli.run(new String[] {"bench", "--series", "0", "--samples", "10"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--series must be a positive integer");
    }

    /** A bad --inference-max-delay is a usage error (exit 2, the key named) before any model is trained. */
    @Test
    void aBadInferenceDelayIsAUsageErrorBeforeAnyWork() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AnomalyCli.run(new String[] {"bench", "--mode", "job", "--series", "2", "--samples", "10",
                "--inference-max-delay", "twenty"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("anomaly bench: ").contains("max-delay")
                .contains("twenty");
        assertThat(err.toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
