package dev.anomaly.sources.victoriametrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anomaly.models.records.Sample;
import java.io.IOException;

/**
 * Fuzzes {@link QueryRangeResponseParser#parse}: the only exception is the documented {@link IOException} (not
 * JSON, an error status, not a matrix); every sample it returns belongs to the feature, has non-null labels without
 * {@code __name__}, and a finite or NaN value (infinities are skipped and counted); the malformed count is never
 * negative. {@link QueryRangeResponseParser#errorText} never throws.
 *
 * <p>{@code mvn test} runs the seeds of {@code QueryRangeResponseFuzzTestInputs}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class QueryRangeResponseFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void queryRangeResponse(byte[] data) {
        assertThat(QueryRangeResponseParser.errorText(data)).isNotNull();
        ParsedRange r;
        try {
            r = QueryRangeResponseParser.parse("f", data);
        } catch (IOException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(r.malformedValues()).isNotNegative();
        long previous = Long.MIN_VALUE;
        for (Sample s : r.samples()) {
            assertThat(s.feature()).isEqualTo("f");
            assertThat(s.labels()).isNotNull().doesNotContainKey("__name__");
            s.labels().forEach((k, v) -> assertThat(k).isNotNull());
            assertThat(s.labels().values()).doesNotContainNull();
            assertThat(Double.isNaN(s.value()) || Double.isFinite(s.value())).as("%s", s).isTrue();
            assertThat(s.timestampMs()).isGreaterThanOrEqualTo(previous);
            previous = s.timestampMs();
        }
    }
}
