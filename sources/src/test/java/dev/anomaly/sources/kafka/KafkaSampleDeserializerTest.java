package dev.anomaly.sources.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.Sample;
import dev.anomaly.sources.prometheus.PrometheusTextParser;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KafkaSampleDeserializerTest {
    private static final FeatureMappings MAPPINGS = FeatureMappings.parse(java.util.List.of(
            "cpu_user=counter:node_cpu_seconds_total{mode=\"user\"}",
            "cpu_all=counter:node_cpu_seconds_total",
            "load1=gauge:node_load1"));
    private static final long SEEN = 1_234L;
    /** The default limits without the timestamp window: these tests use fixed, old timestamps. */
    private static final RecordLimits NO_WINDOW = RecordLimits.defaults().withoutTimestampWindow();

    private final KafkaSampleDeserializer json = new KafkaSampleDeserializer(SampleRecordFormat.JSON, MAPPINGS,
            new PrometheusTextParser(), NO_WINDOW).withClock(() -> SEEN);
    private final KafkaSampleDeserializer text = new KafkaSampleDeserializer(SampleRecordFormat.PROMETHEUS_TEXT,
            MAPPINGS, new PrometheusTextParser(), NO_WINDOW).withClock(() -> SEEN);

    private static ParsedRecord parse(KafkaSampleDeserializer d, long recordTs, String value) {
        return d.parse("t", 3, 17, recordTs, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void jsonSampleOfTheAdapter() {
        ParsedRecord r = parse(json, 99, """
                {"timestamp":"2024-05-01T12:00:05.250Z","value":"1.5","name":"node_load1",
                 "labels":{"__name__":"node_load1","instance":"h:9100","job":"node"}}""");
        assertThat(r.isDeadLetter()).isFalse();
        assertThat(r.unmapped()).isZero();
        assertThat(r.samples()).containsExactly(new Sample("load1{instance=\"h:9100\",job=\"node\"}", "load1",
                "node_load1", Map.of("instance", "h:9100", "job", "node"), 1_714_564_805_250L, 1.5));
    }

    @Test
    void jsonTimestampsAndValuesInEveryAcceptedForm() {
        String[][] cases = {
            {"\"2024-05-01T14:00:05+02:00\"", "1714564805000"},
            {"\"2024-05-01t12:00:05.123456789z\"", "1714564805123"},
            {"1714564805250", "1714564805250"},
            {"\"1714564805250\"", "1714564805250"},
            {"1.71456480525E12", "1714564805250"},
            {"0", "0"},
        };
        for (String[] c : cases) {
            ParsedRecord r = parse(json, -1, "{\"timestamp\":" + c[0] + ",\"value\":2,\"name\":\"node_load1\"}");
            assertThat(r.samples()).as(c[0]).singleElement()
                    .satisfies(s -> assertThat(s.timestampMs()).isEqualTo(Long.parseLong(c[1])));
        }
        String[][] values = {{"\"NaN\"", "NaN"}, {"\"1e100\"", "1e100"}, {"-1e100", "-1e100"},
            {"\"-2.5e3\"", "-2500"}, {"7", "7"}, {"0.25", "0.25"}};
        for (String[] v : values) {
            ParsedRecord r = parse(json, -1, "{\"timestamp\":1,\"value\":" + v[0] + ",\"name\":\"node_load1\"}");
            assertThat(r.samples()).as(v[0]).singleElement()
                    .satisfies(s -> assertThat(Double.valueOf(s.value())).isEqualTo(Double.valueOf(v[1])));
        }
    }

    @Test
    void jsonNameMayComeFromTheLabelsAndOneSampleFeedsEveryMatchingFeature() {
        ParsedRecord r = parse(json, -1, """
                {"timestamp":5,"value":"10","labels":{"__name__":"node_cpu_seconds_total","cpu":"1","mode":"user"}}""");
        assertThat(r.samples()).extracting(Sample::seriesId).containsExactly(
                "cpu_user{cpu=\"1\",mode=\"user\"}", "cpu_all{cpu=\"1\",mode=\"user\"}");
        ParsedRecord idle = parse(json, -1, """
                {"timestamp":5,"value":"10","labels":{"__name__":"node_cpu_seconds_total","cpu":"1","mode":"idle"}}""");
        assertThat(idle.samples()).extracting(Sample::feature).containsExactly("cpu_all");
    }

    @Test
    void unmappedMetricsAreCountedNotRejected() {
        ParsedRecord r = parse(json, -1, "{\"timestamp\":5,\"value\":1,\"name\":\"node_memory_MemFree_bytes\"}");
        assertThat(r.isDeadLetter()).isFalse();
        assertThat(r.samples()).isEmpty();
        assertThat(r.unmapped()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "not JSON              | {\"timestamp\":                                              | invalid_json",
        "trailing garbage      | {\"timestamp\":1,\"value\":1,\"name\":\"node_load1\"} x       | invalid_json",
        "duplicate key         | {\"value\":1,\"value\":2,\"timestamp\":1,\"name\":\"node_load1\"} | invalid_json",
        "array                 | [1,2]                                                        | wrong_type",
        "missing value         | {\"timestamp\":1,\"name\":\"node_load1\"}                    | missing_field",
        "null value            | {\"timestamp\":1,\"value\":null,\"name\":\"node_load1\"}     | missing_field",
        "missing timestamp     | {\"value\":1,\"name\":\"node_load1\"}                        | missing_field",
        "missing name          | {\"timestamp\":1,\"value\":1,\"labels\":{\"a\":\"b\"}}       | missing_field",
        "boolean value         | {\"timestamp\":1,\"value\":true,\"name\":\"node_load1\"}     | wrong_type",
        "labels an array       | {\"timestamp\":1,\"value\":1,\"name\":\"x\",\"labels\":[]}   | wrong_type",
        "numeric label value   | {\"timestamp\":1,\"value\":1,\"name\":\"x\",\"labels\":{\"a\":1}} | wrong_type",
        "numeric name          | {\"timestamp\":1,\"value\":1,\"name\":5}                     | wrong_type",
        "object timestamp      | {\"timestamp\":{},\"value\":1,\"name\":\"x\"}                | wrong_type",
        "unparsable value      | {\"timestamp\":1,\"value\":\"1,5\",\"name\":\"x\"}           | bad_value",
        "empty value           | {\"timestamp\":1,\"value\":\"\",\"name\":\"x\"}              | bad_value",
        "garbage timestamp     | {\"timestamp\":\"yesterday\",\"value\":1,\"name\":\"x\"}     | bad_timestamp",
        "no zone               | {\"timestamp\":\"2024-05-01T12:00:00\",\"value\":1,\"name\":\"x\"} | bad_timestamp",
        "negative timestamp    | {\"timestamp\":-5,\"value\":1,\"name\":\"x\"}                | bad_timestamp",
        "fractional ms         | {\"timestamp\":1.5,\"value\":1,\"name\":\"x\"}               | bad_timestamp",
        "overflowing ms        | {\"timestamp\":\"99999999999999999999\",\"value\":1,\"name\":\"x\"} | bad_timestamp",
        "infinite ms (fuzzed)  | {\"timestamp\":171.5E64805250,\"value\":1,\"name\":\"x\"} | bad_timestamp",
        "bad metric name       | {\"timestamp\":1,\"value\":1,\"name\":\"node-load\"}         | bad_name",
        "bad label name        | {\"timestamp\":1,\"value\":1,\"name\":\"x\",\"labels\":{\"a-b\":\"c\"}} | bad_name",
    })
    void malformedJsonBecomesADeadLetter(String why, String record, String reason) {
        ParsedRecord r = parse(json, 99, record);
        assertThat(r.isDeadLetter()).isTrue();
        assertThat(r.samples()).isEmpty();
        DeadLetter d = r.deadLetter();
        assertThat(d.reason()).isEqualTo(reason);
        assertThat(d.origin()).isEqualTo("kafka:t/3@17");
        assertThat(d.payload()).isEqualTo(record.getBytes(StandardCharsets.UTF_8));
        assertThat(d.seenAtMs()).isEqualTo(SEEN);
        assertThat(d.detail()).isNotBlank();
    }

    @Test
    void emptyAndNullRecordsAreDeadLetters() {
        assertThat(parse(json, 1, null).deadLetter().reason()).isEqualTo("empty_record");
        assertThat(parse(json, 1, "").deadLetter().reason()).isEqualTo("empty_record");
        assertThat(parse(json, 1, "   ").deadLetter().reason()).isEqualTo("empty_record");
        assertThat(parse(text, 1, "").deadLetter().reason()).isEqualTo("empty_record");
    }

    @Test
    void textScrapeTakesTheRecordTimestampUnlessASampleHasItsOwn() {
        ParsedRecord r = parse(text, 50_000, """
                # TYPE node_cpu_seconds_total counter
                node_cpu_seconds_total{cpu="0",mode="user"} 12.5
                node_cpu_seconds_total{cpu="0",mode="idle"} 99 40000
                # TYPE node_load1 gauge
                node_load1 NaN
                node_memory_MemFree_bytes 1e9
                """);
        assertThat(r.unmapped()).isEqualTo(1);
        assertThat(r.samples()).containsExactly(
                Sample.of("cpu_user", "node_cpu_seconds_total", Map.of("cpu", "0", "mode", "user"), 50_000, 12.5),
                Sample.of("cpu_all", "node_cpu_seconds_total", Map.of("cpu", "0", "mode", "user"), 50_000, 12.5),
                Sample.of("cpu_all", "node_cpu_seconds_total", Map.of("cpu", "0", "mode", "idle"), 40_000, 99),
                Sample.of("load1", "node_load1", Map.of(), 50_000, Double.NaN));
    }

    @Test
    void textSyntaxErrorRejectsTheWholeScrape() {
        String scrape = "node_load1 1\nnode_cpu_seconds_total{mode=\"user\" 3\n";
        DeadLetter d = parse(text, 50_000, scrape).deadLetter();
        assertThat(d.reason()).isEqualTo("text_syntax");
        assertThat(d.detail()).startsWith("line 2: ");
        assertThat(new String(d.payload(), StandardCharsets.UTF_8)).isEqualTo(scrape);
    }

    @Test
    void textWithoutAnyTimestampOrInvalidUtf8IsRejected() {
        assertThat(parse(text, -1, "node_load1 1\n").deadLetter().reason()).isEqualTo("bad_timestamp");
        assertThat(parse(text, 5000, "node_load1 1 -5\n").deadLetter().reason()).as("before 1970, as in JSON")
                .isEqualTo("bad_timestamp");
        assertThat(parse(text, -1, "node_load1 1 7000\n").samples()).singleElement()
                .satisfies(s -> assertThat(s.timestampMs()).isEqualTo(7000));
        byte[] latin1 = "node_load1{a=\"\u00e9\"} 1\n".getBytes(StandardCharsets.ISO_8859_1);
        ParsedRecord r = text.parse("t", 0, 0, 5, latin1);
        assertThat(r.deadLetter().reason()).isEqualTo("invalid_encoding");
        assertThat(r.deadLetter().payload()).isEqualTo(latin1);
    }

    @Test
    void skippingHistogramsDropsTheirSamplesBeforeMapping() {
        FeatureMappings m = FeatureMappings.parse(java.util.List.of("lat=gauge:rpc_seconds_count", "load=gauge:node_load1"));
        String scrape = "# TYPE rpc_seconds summary\nrpc_seconds_count 4\nnode_load1 2\n";
        KafkaSampleDeserializer passing = new KafkaSampleDeserializer(SampleRecordFormat.PROMETHEUS_TEXT, m,
                new PrometheusTextParser(), NO_WINDOW);
        KafkaSampleDeserializer skipping = new KafkaSampleDeserializer(SampleRecordFormat.PROMETHEUS_TEXT, m,
                PrometheusTextParser.skippingHistogramsAndSummaries(), NO_WINDOW);
        assertThat(parse(passing, 1, scrape).samples()).extracting(Sample::feature).containsExactly("lat", "load");
        assertThat(parse(skipping, 1, scrape).samples()).extracting(Sample::feature).containsExactly("load");
    }

    // ---- hostile input: the limits of RecordLimits ----------------------------------------------------------

    private static final long NOW = 1_714_564_805_000L;

    private static KafkaSampleDeserializer limited(SampleRecordFormat format) {
        return new KafkaSampleDeserializer(format, MAPPINGS, new PrometheusTextParser(), RecordLimits.defaults())
                .withClock(() -> NOW);
    }

    private static String sample(long ts, String value, String name, String labels) {
        return "{\"timestamp\":" + ts + ",\"value\":" + value + ",\"name\":\"" + name + "\",\"labels\":{" + labels
                + "}}";
    }

    @Test
    void timestampsOutsideTheWindowAroundNowAreOutOfRange() {
        KafkaSampleDeserializer d = limited(SampleRecordFormat.JSON);
        long day = 86_400_000L;
        assertThat(parse(d, -1, sample(NOW - 7 * day, "1", "node_load1", "")).samples()).hasSize(1);
        assertThat(parse(d, -1, sample(NOW + 600_000, "1", "node_load1", "")).samples()).hasSize(1);
        for (long ts : new long[] {NOW - 7 * day - 1, NOW + 600_001, 0, 1, Long.MAX_VALUE, 253_402_300_799_000L}) {
            DeadLetter dl = parse(d, -1, sample(ts, "1", "node_load1", "")).deadLetter();
            assertThat(dl).as("ts %d", ts).isNotNull();
            assertThat(dl.reason()).isEqualTo("timestamp_out_of_range");
            assertThat(dl.detail()).contains(Long.toString(ts));
        }
        // Unmapped metrics are held to the window too; text samples without their own take the record's timestamp.
        assertThat(parse(d, -1, sample(1, "1", "unmapped_metric", "")).deadLetter().reason())
                .isEqualTo("timestamp_out_of_range");
        KafkaSampleDeserializer t = limited(SampleRecordFormat.PROMETHEUS_TEXT);
        assertThat(parse(t, NOW, "node_load1 1\n").samples()).hasSize(1);
        assertThat(parse(t, NOW - 30 * day, "node_load1 1\n").deadLetter().reason())
                .isEqualTo("timestamp_out_of_range");
        assertThat(parse(t, NOW, "node_load1 1\nnode_load5 1 " + (NOW + day) + "\n").deadLetter().reason())
                .isEqualTo("timestamp_out_of_range");
    }

    @Test
    void infiniteAndHugeValuesOfMappedSamplesAreRejectedNaNIsAMissingValue() {
        KafkaSampleDeserializer d = limited(SampleRecordFormat.JSON);
        for (String v : new String[] {"\"+Inf\"", "\"-Inf\"", "\"Inf\"", "1e309", "-1e400"}) {
            assertThat(parse(d, -1, sample(NOW, v, "node_load1", "")).deadLetter().reason()).as(v)
                    .isEqualTo("non_finite_value");
        }
        for (String v : new String[] {"1e308", "-1.7976931348623157e308", "\"1e101\""}) {
            assertThat(parse(d, -1, sample(NOW, v, "node_load1", "")).deadLetter().reason()).as(v)
                    .isEqualTo("value_out_of_range");
        }
        assertThat(parse(d, -1, sample(NOW, "\"NaN\"", "node_load1", "")).samples()).singleElement()
                .satisfies(s -> assertThat(s.value()).isNaN());
        // An unmapped sample's value is not used, so it is not judged: a scrape with a +Inf elsewhere is fine.
        assertThat(parse(d, -1, sample(NOW, "\"+Inf\"", "unmapped_metric", "")).unmapped()).isEqualTo(1);
        ParsedRecord scrape = parse(limited(SampleRecordFormat.PROMETHEUS_TEXT), NOW,
                "node_load1 0.5\nsome_gauge +Inf\n");
        assertThat(scrape.samples()).hasSize(1);
        assertThat(parse(limited(SampleRecordFormat.PROMETHEUS_TEXT), NOW, "node_load1 +Inf\n").deadLetter().reason())
                .isEqualTo("non_finite_value");
    }

    @Test
    void labelSetExplosionsAreRejected() {
        KafkaSampleDeserializer d = limited(SampleRecordFormat.JSON);
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            labels.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":\"v\"");
        }
        assertThat(parse(d, -1, sample(NOW, "1", "node_load1", labels.toString())).samples()).hasSize(1);
        DeadLetter many = parse(d, -1, sample(NOW, "1", "node_load1", labels + ",\"l64\":\"v\"")).deadLetter();
        assertThat(many.reason()).isEqualTo("too_many_labels");
        assertThat(many.detail()).contains("65 labels");
        String k1 = "v".repeat(1024);
        assertThat(parse(d, -1, sample(NOW, "1", "node_load1", "\"a\":\"" + k1 + "\"")).samples()).hasSize(1);
        assertThat(parse(d, -1, sample(NOW, "1", "node_load1", "\"a\":\"" + k1 + "v\"")).deadLetter().reason())
                .isEqualTo("label_too_long");
        assertThat(parse(d, -1, sample(NOW, "1", "node_load1", "\"a" + k1 + "\":\"v\"")).deadLetter().reason())
                .isEqualTo("label_too_long");
        assertThat(parse(d, -1, sample(NOW, "1", "m" + k1, "")).deadLetter().reason()).isEqualTo("label_too_long");
        StringBuilder text = new StringBuilder("node_load1{");
        for (int i = 0; i < 100; i++) {
            text.append(i == 0 ? "" : ",").append("l").append(i).append("=\"v\"");
        }
        assertThat(parse(limited(SampleRecordFormat.PROMETHEUS_TEXT), NOW, text + "} 1\n").deadLetter().reason())
                .isEqualTo("too_many_labels");
    }

    @Test
    void giantRecordsAreRejectedUndecodedAndTheirDeadLetterIsCut() {
        KafkaSampleDeserializer d = limited(SampleRecordFormat.JSON);
        byte[] giant = new byte[(1 << 20) + 1];
        java.util.Arrays.fill(giant, (byte) ' ');
        byte[] head = sample(NOW, "1", "node_load1", "").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, giant, 0, head.length);
        DeadLetter dl = d.parse("t", 0, 5, -1, giant).deadLetter();
        assertThat(dl.reason()).isEqualTo("record_too_large");
        assertThat(dl.payload()).hasSize(256 << 10).isEqualTo(java.util.Arrays.copyOf(giant, 256 << 10));
        assertThat(dl.detail()).contains("1048577 bytes").contains("cut to its first 262144");
        assertThat(DeadLetterJson.encode(dl).length).isLessThan(1 << 20);
        // Exactly the limit is still decoded (and valid, whitespace after the object being allowed).
        assertThat(d.parse("t", 0, 5, -1, java.util.Arrays.copyOf(giant, 1 << 20)).samples()).hasSize(1);
        // A long detail is cut too.
        DeadLetter longName = parse(d, -1, sample(NOW, "1", "bad-" + "x".repeat(5000), "")).deadLetter();
        assertThat(longName.detail()).hasSizeLessThanOrEqualTo(RecordLimits.MAX_DETAIL_CHARS);
    }

    @Test
    void limitsAreValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RecordLimits(0, 1, 1, java.time.Duration.ZERO,
                java.time.Duration.ZERO, 1, 1)).hasMessageContaining("maxRecordBytes");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RecordLimits(1, 1, 1, java.time.Duration.ZERO,
                java.time.Duration.ZERO, Double.NaN, 1)).hasMessageContaining("maxAbsValue");
    }
}
