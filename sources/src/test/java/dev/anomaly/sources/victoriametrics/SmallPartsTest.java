package dev.anomaly.sources.victoriametrics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Step grid, backoff, serializers, builder validation and secret redaction. */
class SmallPartsTest {

    @Test
    void stepGridBoundariesAreExact() {
        assertThat(StepGrid.firstAfter(10_000, 5_000)).isEqualTo(15_000);
        assertThat(StepGrid.firstAfter(9_999, 5_000)).isEqualTo(10_000);
        assertThat(StepGrid.lastAtOrBefore(10_000, 5_000)).isEqualTo(10_000);
        assertThat(StepGrid.lastAtOrBefore(14_999, 5_000)).isEqualTo(10_000);
        assertThat(StepGrid.firstAfter(-1, 5_000)).isZero();
    }

    @Test
    void backoffIsExponentialWithFullJitterUpToTheCap() {
        RetryBackoff b = new RetryBackoff(100, 1_000, new Random(1));
        assertThat(List.of(b.capMs(1), b.capMs(2), b.capMs(3), b.capMs(4), b.capMs(5), b.capMs(60)))
                .containsExactly(100L, 200L, 400L, 800L, 1_000L, 1_000L);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2_000; i++) {
            long d = b.delayMs(3);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isBetween(0L, 20L);
        assertThat(max).isBetween(380L, 400L);
    }

    @Test
    void splitAndEnumeratorStateRoundTrip() throws IOException {
        QuerySplitSerializer s = new QuerySplitSerializer();
        QuerySplit split = new QuerySplit("cpu", "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}"
                + "[1m])))  ünïcode", 1_700_000_000_123L);
        assertThat(s.deserialize(s.getVersion(), s.serialize(split))).isEqualTo(split);
        QueryEnumeratorStateSerializer es = new QueryEnumeratorStateSerializer();
        QueryEnumeratorState state = new QueryEnumeratorState(Set.of("memory", "disk"), List.of(split));
        assertThat(es.deserialize(es.getVersion(), es.serialize(state))).isEqualTo(state);
        assertThatThrownBy(() -> s.deserialize(99, s.serialize(split))).hasMessageContaining("version 99");
    }

    @Test
    void builderNamesTheBadSetting() {
        assertThatThrownBy(() -> VictoriaMetricsSource.builder().query("cpu", "up").build())
                .hasMessageContaining("url is required");
        assertThatThrownBy(() -> VictoriaMetricsSource.builder().url("ftp://x").query("cpu", "up").build())
                .hasMessageContaining("url 'ftp://x'");
        assertThatThrownBy(() -> VictoriaMetricsSource.builder().url("http://127.0.0.1:8428").build())
                .hasMessageContaining("no query");
        assertThatThrownBy(() -> VictoriaMetricsSource.builder().query("cpu", "up").query("cpu", "up"))
                .hasMessageContaining("'cpu' is configured twice");
        assertThatThrownBy(() -> VictoriaMetricsSource.builder().url("http://127.0.0.1:8428").query("cpu", "up")
                .step(Duration.ZERO).build()).hasMessageContaining("step must be");
        assertThatThrownBy(() -> VictoriaMetricsSource.builder().url("http://127.0.0.1:8428").query("cpu", "up")
                .lag(Duration.ofSeconds(-1)).build()).hasMessageContaining("lag must be");
        assertThatThrownBy(() -> VictoriaMetricsSource.builder().url("http://127.0.0.1:8428").query("cpu", "up")
                .retries(Duration.ofSeconds(5), Duration.ofSeconds(1)).build()).hasMessageContaining("retries max");
        assertThatThrownBy(() -> VictoriaMetricsSource.builder().url("http://u:p@127.0.0.1:8428").query("cpu", "up")
                .build()).hasMessageContaining("credentials");
        assertThatThrownBy(() -> VictoriaMetricsSource.builder().url("http://127.0.0.1:8428").query("cpu", "up")
                .maxSamplesPerRequest(1).build()).hasMessageContaining("maxSamplesPerRequest must be at least 2");
    }

    @Test
    void pointsPerSeriesShareTheSamplesBudgetWithinThePerSeriesCap() {
        VictoriaMetricsSourceConfig c = VictoriaMetricsSource.builder().url("http://127.0.0.1:8428").query("cpu", "up")
                .maxPointsPerRequest(10_000).maxSamplesPerRequest(100_000).build().config();
        assertThat(c.pointsPerSeries(0)).isEqualTo(10_000);
        assertThat(c.pointsPerSeries(1)).isEqualTo(10_000);
        assertThat(c.pointsPerSeries(40)).isEqualTo(2_500);
        assertThat(c.pointsPerSeries(1_000)).isEqualTo(100);
        assertThat(c.pointsPerSeries(1_000_000)).as("never fewer than 2").isEqualTo(2);
    }

    @Test
    void configToStringNamesSecretSourcesNeverSecrets() {
        VictoriaMetricsSourceConfig c = VictoriaMetricsSource.builder().url("http://127.0.0.1:8428/")
                .query("cpu", "up").auth(VictoriaMetricsAuth.basic("reader", SecretRef.env("VM_PASSWORD")))
                .build().config();
        assertThat(c.url()).isEqualTo("http://127.0.0.1:8428");
        assertThat(c.toString()).contains("basic(user=reader, password from env:VM_PASSWORD)");
        assertThat(VictoriaMetricsAuth.bearer(SecretRef.file("/run/secrets/vm")).toString())
                .isEqualTo("bearer(token from file:/run/secrets/vm)");
        assertThatThrownBy(() -> SecretRef.env("SURELY_UNSET_VARIABLE_4711").resolve())
                .hasMessage("environment variable SURELY_UNSET_VARIABLE_4711 is not set or empty");
    }

    @Test
    void secretsAreReadFromFilesWithoutTrailingNewline(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path f = dir.resolve("token");
        java.nio.file.Files.writeString(f, "s3cr3t\n");
        assertThat(VictoriaMetricsAuth.bearer(SecretRef.file(f.toString())).authorizationHeader())
                .contains("Bearer s3cr3t");
        assertThat(VictoriaMetricsAuth.basic("u", SecretRef.file(f.toString())).authorizationHeader())
                .contains("Basic " + java.util.Base64.getEncoder().encodeToString("u:s3cr3t".getBytes()));
    }
}
