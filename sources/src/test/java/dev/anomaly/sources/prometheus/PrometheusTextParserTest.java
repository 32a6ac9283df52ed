package dev.anomaly.sources.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusTextParserTest {
    private final PrometheusTextParser parser = new PrometheusTextParser();

    /** A slice of a real node-exporter 1.5 scrape, plus a histogram and a summary. */
    private static final String SCRAPE = """
            # HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.
            # TYPE node_cpu_seconds_total counter
            node_cpu_seconds_total{cpu="0",mode="idle"} 41736.41
            node_cpu_seconds_total{cpu="0",mode="user"} 1234.5
            # HELP node_load1 1m load average.
            # TYPE node_load1 gauge
            node_load1 0.52
            # HELP http_request_duration_seconds A histogram.
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="0.1"} 3
            http_request_duration_seconds_bucket{le="+Inf"} 7
            http_request_duration_seconds_sum 1.25
            http_request_duration_seconds_count 7
            # TYPE rpc_seconds summary
            rpc_seconds{quantile="0.5"} 0.004
            rpc_seconds_sum 17.5
            rpc_seconds_count 4000
            untyped_metric 1e3
            """;

    /**
     * The decimal syntax is the same as Go's, and a hostile value (a megabyte of digits and then a letter) is refused
     * instead of holding the thread: the old pattern backtracked quadratically (hours for a megabyte). The limit is
     * for termination, not speed: linear matching takes milliseconds.
     */
    @Test
    void valuesFollowGoSyntaxAndAHugeMalformedValueIsRefusedPromptly() {
        for (String ok : List.of("1", "12.", "12.5", ".5", "-3e2", "+4E-1", "1.e3", "007")) {
            assertThat(PrometheusValues.parseValue(ok)).as(ok).isEqualTo(Double.parseDouble(ok));
        }
        for (String bad : List.of(".", "e3", "1e", "1.2.3", "--1", "0x1p3", "1d", "1,5", "")) {
            assertThatThrownBy(() -> PrometheusValues.parseValue(bad)).as(bad).isInstanceOf(NumberFormatException.class);
        }
        String huge = "1".repeat(1 << 20) + "x";
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            assertThatThrownBy(() -> PrometheusValues.parseValue(huge)).isInstanceOf(NumberFormatException.class);
            assertThatThrownBy(() -> parser.parse("m " + huge + "\n")).isInstanceOf(ExpositionFormatException.class);
        });
    }

    @Test
    void parsesSamplesWithLabelsTypesAndValues() throws Exception {
        List<ExpositionSample> s = parser.parse(SCRAPE);
        assertThat(s).hasSize(11);
        assertThat(s.get(0)).isEqualTo(new ExpositionSample("node_cpu_seconds_total",
                Map.of("cpu", "0", "mode", "idle"), 41736.41, OptionalLong.empty(), MetricType.COUNTER));
        assertThat(s.get(1).labels()).containsEntry("mode", "user");
        assertThat(s.get(1).value()).isEqualTo(1234.5);
        assertThat(s.get(2)).isEqualTo(new ExpositionSample("node_load1", Map.of(), 0.52, OptionalLong.empty(),
                MetricType.GAUGE));
        assertThat(s.get(3).name()).isEqualTo("http_request_duration_seconds_bucket");
        assertThat(s.get(3).type()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(s.get(4).labels()).containsEntry("le", "+Inf");
        assertThat(s.get(5).type()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(s.get(6).type()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(s.get(7).type()).isEqualTo(MetricType.SUMMARY);
        assertThat(s.get(8).name()).isEqualTo("rpc_seconds_sum");
        assertThat(s.get(8).type()).isEqualTo(MetricType.SUMMARY);
        assertThat(s.get(10)).isEqualTo(new ExpositionSample("untyped_metric", Map.of(), 1000.0, OptionalLong.empty(),
                MetricType.UNTYPED));
    }

    @Test
    void skipsHistogramsAndSummariesWhenAsked() throws Exception {
        List<ExpositionSample> s = PrometheusTextParser.skippingHistogramsAndSummaries().parse(SCRAPE);
        assertThat(s).extracting(ExpositionSample::name).containsExactly("node_cpu_seconds_total",
                "node_cpu_seconds_total", "node_load1", "untyped_metric");
    }

    @Test
    void specialValuesAndTimestamps() throws Exception {
        List<ExpositionSample> s = parser.parse("""
                a NaN
                b +Inf 1700000000000
                c -Inf -5
                d Inf
                e -0.5e-3\t 42
                f .5
                g 7.
                """);
        assertThat(s.get(0).value()).isNaN();
        assertThat(s.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.get(1).timestampMs()).hasValue(1_700_000_000_000L);
        assertThat(s.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(s.get(2).timestampMs()).hasValue(-5L);
        assertThat(s.get(3).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(s.get(4).value()).isEqualTo(-0.0005);
        assertThat(s.get(4).timestampMs()).hasValue(42L);
        assertThat(s.get(5).value()).isEqualTo(0.5);
        assertThat(s.get(6).value()).isEqualTo(7.0);
    }

    @Test
    void labelEscapesBlanksTrailingCommaCrLfAndComments() throws Exception {
        String text = "# just a comment\r\n\r\n   \n"
                + "  m{path=\"C:\\\\dir\",q=\"say \\\"hi\\\"\",nl=\"a\\nb\",empty=\"\",utf=\"é—✓\",} 1\r\n"
                + "m2 { a = \"x\" , b=\"y\" } 2\n"
                + "m3{} 3\n"
                + "# EOF\n";
        List<ExpositionSample> s = parser.parse(text);
        assertThat(s).hasSize(3);
        assertThat(s.get(0).labels()).containsExactly(Map.entry("path", "C:\\dir"), Map.entry("q", "say \"hi\""),
                Map.entry("nl", "a\nb"), Map.entry("empty", ""), Map.entry("utf", "é—✓"));
        assertThat(s.get(1).labels()).containsExactly(Map.entry("a", "x"), Map.entry("b", "y"));
        assertThat(s.get(1).value()).isEqualTo(2.0);
        assertThat(s.get(2).labels()).isEmpty();
        assertThat(s.get(2).value()).isEqualTo(3.0);
    }

    @Test
    void labelValuesMayContainBracesCommasAndHashes() throws Exception {
        ExpositionSample s = parser.parse("m{a=\"}{,=# x\"} 1").get(0);
        assertThat(s.labels()).containsEntry("a", "}{,=# x");
    }

    @Test
    void emptyTextHasNoSamples() throws Exception {
        assertThat(parser.parse("")).isEmpty();
        assertThat(parser.parse("# HELP x y\n# TYPE x gauge\n\n")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "missing value              | m                         | line 2: missing value for m",
        "missing value after labels | m{a=\"1\"}                | line 2: missing value for m",
        "non-numeric value          | m abc                     | line 2: invalid value 'abc' for m",
        "Java float suffix          | m 1.5d                    | line 2: invalid value '1.5d' for m",
        "hexadecimal value          | m 0x10                    | line 2: invalid value '0x10' for m",
        "fractional timestamp       | m 1 1.5                   | line 2: invalid timestamp '1.5' for m (integer milliseconds expected)",
        "text after timestamp       | m 1 2 3                   | line 2: unexpected text '3' after the sample of m",
        "name starts with digit     | 0m 1                      | line 2: expected a metric name, found '0'",
        "bad char in name           | m-x 1                     | line 2: unexpected character '-' in metric name m",
        "unterminated value         | m{a=\"1} 2                | line 2: unterminated value of label a",
        "bad escape                 | m{a=\"\\t\"} 2            | line 2: invalid escape '\\t' in the value of label a",
        "unquoted label value       | m{a=1} 2                  | line 2: expected '\"' opening the value of label a, found '1'",
        "missing equals             | m{a\"1\"} 2               | line 2: expected '=' after label a, found '\"'",
        "missing comma              | m{a=\"1\" b=\"2\"} 3      | line 2: expected ',' or '}' after label a, found 'b'",
        "unterminated label set     | m{a=\"1\",                | line 2: unterminated label set",
        "bad label name             | m{1a=\"1\"} 2             | line 2: invalid label name at '1a=\"1\"} 2'",
        "duplicate label            | m{a=\"1\",a=\"2\"} 3      | line 2: duplicate label a",
        "unknown type               | # TYPE m countr           | line 2: unknown metric type 'countr' for m",
        "TYPE without name          | # TYPE                    | line 2: expected a metric name after # TYPE",
        "TYPE with bad name         | # TYPE 9m gauge           | line 2: invalid metric name '9m' in # TYPE",
    })
    void rejectsSyntaxErrorsNamingTheLine(String why, String badLine, String message) {
        assertThatThrownBy(() -> parser.parse("ok 1\n" + badLine + "\nok 2\n"))
                .isInstanceOf(ExpositionFormatException.class)
                .hasMessage(message)
                .extracting(e -> ((ExpositionFormatException) e).line()).isEqualTo(2);
    }

    @Test
    void rejectsRepeatedOrLateMetadata() {
        assertThatThrownBy(() -> parser.parse("# TYPE m gauge\n# TYPE m counter\nm 1\n"))
                .hasMessage("line 2: second TYPE line for m");
        assertThatThrownBy(() -> parser.parse("# HELP m a\n# HELP m b\n"))
                .hasMessage("line 2: second HELP line for m");
        assertThatThrownBy(() -> parser.parse("m 1\n# TYPE m gauge\n"))
                .hasMessage("line 2: TYPE line for m after its samples");
    }

    @Test
    void valuesFollowGoFloatSyntax() {
        assertThat(PrometheusValues.parseValue("NaN")).isNaN();
        assertThat(PrometheusValues.parseValue("nan")).isNaN();
        assertThat(PrometheusValues.parseValue("+Inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(PrometheusValues.parseValue("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(PrometheusValues.parseValue("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(PrometheusValues.parseValue(" 12 ")).isEqualTo(12.0);
        assertThat(PrometheusValues.parseValue("1E-2")).isEqualTo(0.01);
        for (String bad : new String[] {"", "+", "1e", "1.2.3", "1,5", "1f", "0x1p3", "Infinit", "--1", "1 2"}) {
            assertThatThrownBy(() -> PrometheusValues.parseValue(bad)).as(bad).isInstanceOf(NumberFormatException.class);
        }
    }
}
