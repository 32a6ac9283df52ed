package dev.anomaly.sources.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes {@link PrometheusTextParser#parse}: the only exception is {@link ExpositionFormatException} (with a
 * message); every parsed sample has a valid metric name, valid non-null label names and non-null values, a type and
 * a timestamp option (values may be any double: NaN and ±Inf are legal in the format). The parser that skips
 * histograms and summaries returns a subset.
 *
 * <p>{@code mvn test} runs the seeds of {@code PrometheusTextParserFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class PrometheusTextParserFuzzTest {
    private static final PrometheusTextParser ALL = new PrometheusTextParser();
    private static final PrometheusTextParser SKIPPING = PrometheusTextParser.skippingHistogramsAndSummaries();

    @FuzzTest(maxDuration = "20s")
    void textExposition(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        List<ExpositionSample> all;
        try {
            all = ALL.parse(text);
        } catch (ExpositionFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(all).isNotNull();
        for (ExpositionSample s : all) {
            assertThat(PrometheusValues.isMetricName(s.name())).as("name '%s'", s.name()).isTrue();
            assertThat(s.labels()).isNotNull();
            s.labels().forEach((k, v) -> {
                assertThat(PrometheusValues.isLabelName(k)).as("label '%s'", k).isTrue();
                assertThat(v).isNotNull();
            });
            assertThat(s.type()).isNotNull();
            assertThat(s.timestampMs()).isNotNull();
        }
        List<ExpositionSample> some;
        try {
            some = SKIPPING.parse(text);
        } catch (ExpositionFormatException e) {
            throw new AssertionError("the skipping parser rejects what the other accepts: " + e.getMessage(), e);
        }
        assertThat(all).containsAll(some);
    }
}
