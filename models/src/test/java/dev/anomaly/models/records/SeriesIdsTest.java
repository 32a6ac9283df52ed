package dev.anomaly.models.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesIdsTest {

    @Test
    void idIsIndependentOfLabelOrderAndIgnoresTheMetricName() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("mode", "user");
        a.put("cpu", "0");
        a.put("__name__", "node_cpu_seconds_total");
        Map<String, String> b = new HashMap<>();
        b.put("cpu", "0");
        b.put("mode", "user");
        assertThat(SeriesIds.of("cpu", a)).isEqualTo("cpu{cpu=\"0\",mode=\"user\"}").isEqualTo(SeriesIds.of("cpu", b));
    }

    @Test
    void labelValuesAreEscapedLikePrometheusText() {
        assertThat(SeriesIds.of("f", Map.of("path", "C:\\x \"q\"\n"))).isEqualTo("f{path=\"C:\\\\x \\\"q\\\"\\n\"}");
    }

    @Test
    void sampleKeepsSortedLabelsAndDerivesItsId() {
        Sample s = Sample.of("mem", "node_memory_MemAvailable_bytes", Map.of("instance", "h:9100", "job", "node"),
                1000L, 5.0);
        assertThat(s.seriesId()).isEqualTo("mem{instance=\"h:9100\",job=\"node\"}");
        assertThat(s.labels().keySet()).containsExactly("instance", "job");
    }
}
