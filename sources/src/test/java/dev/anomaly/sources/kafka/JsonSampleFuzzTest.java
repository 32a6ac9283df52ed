package dev.anomaly.sources.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.Sample;
import dev.anomaly.sources.prometheus.ExpositionSample;
import dev.anomaly.sources.prometheus.PrometheusTextParser;
import dev.anomaly.sources.prometheus.PrometheusValues;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the JSON sample decoding: {@link JsonSampleDecoder#decode} may only throw
 * {@link MalformedRecordException} (with a reason and a message), and a decoded sample is well-formed (valid names,
 * non-null labels, a non-negative timestamp); {@link KafkaSampleDeserializer#parse} never throws, never reports the
 * {@code unexpected} reason, and every sample it accepts is within {@link RecordLimits} (finite or NaN).
 *
 * <p>{@code mvn test} runs the seeds of {@code src/test/resources/dev/anomaly/sources/kafka/JsonSampleFuzzTestInputs}
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes (see scripts/fuzz.sh and docs/FUZZING.md).
 */
class JsonSampleFuzzTest {
    private static final RecordLimits LIMITS = RecordLimits.defaults().withoutTimestampWindow();
    private static final KafkaSampleDeserializer JSON = new KafkaSampleDeserializer(SampleRecordFormat.JSON,
            FeatureMappings.parse(List.of("load=gauge:node_load1", "cpu=counter:node_cpu_seconds_total",
                    "any_a=gauge:a")), new PrometheusTextParser(), LIMITS);

    @FuzzTest(maxDuration = "20s")
    void jsonSample(byte[] data) {
        try {
            ExpositionSample s = JsonSampleDecoder.decode(data);
            assertThat(PrometheusValues.isMetricName(s.name())).as(s.name()).isTrue();
            assertThat(s.labels()).doesNotContainKey("__name__");
            s.labels().forEach((k, v) -> {
                assertThat(PrometheusValues.isLabelName(k)).as(k).isTrue();
                assertThat(v).isNotNull();
            });
            assertThat(s.timestampMs()).isPresent();
            assertThat(s.timestampMs().getAsLong()).isNotNegative();
        } catch (MalformedRecordException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).isNotNull();
        }
        checkParsed(JSON.parse("fuzz", 0, 1, -1, data), data);
    }

    /** What any parse result must be: a bounded dead letter of a known reason, or samples within the limits. */
    static void checkParsed(ParsedRecord r, byte[] data) {
        if (r.isDeadLetter()) {
            DeadLetter d = r.deadLetter();
            assertThat(d.reason()).as(d.detail()).isNotEqualTo(MalformedReason.UNEXPECTED.code());
            assertThat(d.detail()).isNotBlank();
            assertThat(d.detail().length()).isLessThanOrEqualTo(RecordLimits.MAX_DETAIL_CHARS + 80);
            assertThat(d.payload().length).isLessThanOrEqualTo(LIMITS.maxDeadLetterPayloadBytes());
            assertThat(r.samples()).isEmpty();
            return;
        }
        assertThat(data.length).isLessThanOrEqualTo(LIMITS.maxRecordBytes());
        for (Sample s : r.samples()) {
            assertThat(Double.isNaN(s.value()) || Math.abs(s.value()) <= LIMITS.maxAbsValue()).as("%s", s).isTrue();
            assertThat(s.labels()).isNotNull().hasSizeLessThanOrEqualTo(LIMITS.maxLabels());
            for (Map.Entry<String, String> l : s.labels().entrySet()) {
                assertThat(l.getKey()).isNotNull().hasSizeLessThanOrEqualTo(LIMITS.maxLabelLength());
                assertThat(l.getValue()).isNotNull().hasSizeLessThanOrEqualTo(LIMITS.maxLabelLength());
            }
            assertThat(s.seriesId()).startsWith(s.feature());
        }
    }
}
