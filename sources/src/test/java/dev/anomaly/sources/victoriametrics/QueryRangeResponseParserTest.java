package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class QueryRangeResponseParserTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void matrixBecomesSamplesInTimeOrderWithSeriesIdentityFromFeatureAndLabels() throws IOException {
        String body = """
                {"status":"success","data":{"resultType":"matrix","result":[
                 {"metric":{"__name__":"node_memory_MemAvailable_bytes","instance":"b:9100"},
                  "values":[[1700000010,"2"],[1700000020,"4.5e3"]]},
                 {"metric":{"__name__":"node_memory_MemAvailable_bytes","instance":"a:9100"},
                  "values":[[1700000010,"1"],[1700000020,"3"]]}]}}""";
        ParsedRange r = QueryRangeResponseParser.parse("memory", b(body));
        assertThat(r.malformedValues()).isZero();
        assertThat(r.samples()).containsExactly(
                Sample.of("memory", "node_memory_MemAvailable_bytes", Map.of("instance", "a:9100"), 1_700_000_010_000L, 1),
                Sample.of("memory", "node_memory_MemAvailable_bytes", Map.of("instance", "b:9100"), 1_700_000_010_000L, 2),
                Sample.of("memory", "node_memory_MemAvailable_bytes", Map.of("instance", "a:9100"), 1_700_000_020_000L, 3),
                Sample.of("memory", "node_memory_MemAvailable_bytes", Map.of("instance", "b:9100"), 1_700_000_020_000L,
                        4500));
        Sample first = r.samples().get(0);
        assertThat(first.seriesId()).isEqualTo("memory{instance=\"a:9100\"}");
        assertThat(first.labels()).doesNotContainKey("__name__");
    }

    @Test
    void computedSeriesWithoutNameTakeTheFeatureAsMetric() throws IOException {
        String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"instance\":\"h:9100\"},\"values\":[[1700000000,\"12.25\"]]},"
                + "{\"metric\":{},\"values\":[[1700000000,\"7\"]]}]}}";
        List<Sample> s = QueryRangeResponseParser.parse("cpu", b(body)).samples();
        assertThat(s).extracting(Sample::metric).containsOnly("cpu");
        assertThat(s).extracting(Sample::seriesId).containsExactly("cpu{instance=\"h:9100\"}", "cpu{}"); // same time: by series id
        assertThat(s).extracting(Sample::value).containsExactly(12.25, 7.0);
    }

    @Test
    void nanIsAKnownGapWhileInfinitiesAndGarbageAreCountedAndSkipped() throws IOException {
        String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"m\"},\"values\":[[1,\"NaN\"],[2,\"+Inf\"],[3,\"-Inf\"],[4,\"abc\"],"
                + "[5,\"1.5\"],[6],[7,null]]}]}}";
        ParsedRange r = QueryRangeResponseParser.parse("f", b(body));
        assertThat(r.samples()).hasSize(2);
        assertThat(r.samples().get(0).timestampMs()).isEqualTo(1000);
        assertThat(r.samples().get(0).value()).isNaN();
        assertThat(r.samples().get(1).timestampMs()).isEqualTo(5000);
        assertThat(r.samples().get(1).value()).isEqualTo(1.5);
        assertThat(r.malformedValues()).isEqualTo(5);
    }

    @Test
    void aPartialClusterAnswerIsAnErrorSoTheRangeIsReadAgain() throws IOException {
        String matrix = "\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"m\"},"
                + "\"values\":[[1700000000,\"1\"]]}]}";
        assertThatThrownBy(() -> QueryRangeResponseParser.parse("f",
                b("{\"status\":\"success\",\"isPartial\":true," + matrix + "}")))
                .isInstanceOf(IOException.class).hasMessageContaining("partial");
        assertThat(QueryRangeResponseParser.parse("f", b("{\"status\":\"success\",\"isPartial\":false," + matrix
                + "}")).samples()).hasSize(1);
    }

    @Test
    void seriesThatDifferOnlyInTheirNameAreNotMergedTheLaterOnesAreCounted() throws IOException {
        String body = """
                {"status":"success","data":{"resultType":"matrix","result":[
                 {"metric":{"__name__":"rx_bytes","device":"eth0"},"values":[[1,"1"],[2,"2"]]},
                 {"metric":{"__name__":"tx_bytes","device":"eth0"},"values":[[1,"10"],[2,"20"],[3,"30"]]},
                 {"metric":{"__name__":"tx_bytes","device":"eth1"},"values":[[1,"5"]]}]}}""";
        ParsedRange r = QueryRangeResponseParser.parse("net", b(body));
        assertThat(r.samples()).extracting(Sample::metric, Sample::value)
                .containsExactly(tuple("rx_bytes", 1.0), tuple("tx_bytes", 5.0), tuple("rx_bytes", 2.0));
        assertThat(r.ambiguousValues()).isEqualTo(3);
        assertThat(r.ambiguity()).isEqualTo("series rx_bytes and tx_bytes are both net{device=\"eth0\"} (they differ "
                + "only in __name__)");
        String distinct = body.replace("\"tx_bytes\",\"device\":\"eth0\"", "\"tx_bytes\",\"device\":\"eth2\"");
        ParsedRange clean = QueryRangeResponseParser.parse("net", b(distinct));
        assertThat(clean.samples()).hasSize(6);
        assertThat(clean.ambiguousValues()).isZero();
        assertThat(clean.ambiguity()).isNull();
    }

    @Test
    void fractionalSecondsBecomeMilliseconds() throws IOException {
        String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{},\"values\":[[1795663727.5,\"0\"],[1795663727.123,\"1\"]]}]}}";
        assertThat(QueryRangeResponseParser.parse("f", b(body)).samples()).extracting(Sample::timestampMs)
                .containsExactly(1_795_663_727_123L, 1_795_663_727_500L);
    }

    @Test
    void emptyResultIsNoSamples() throws IOException {
        ParsedRange r = QueryRangeResponseParser.parse("f",
                b("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"));
        assertThat(r.samples()).isEmpty();
        assertThat(r.malformedValues()).isZero();
    }

    @Test
    void errorBodiesGiveVictoriaMetricsOwnText() {
        String body = "{\"status\":\"error\",\"errorType\":\"422\",\"error\":\"error when executing query=\\\"rate(m1\\\": "
                + "argList: unexpected token\"}";
        assertThat(QueryRangeResponseParser.errorText(b(body)))
                .isEqualTo("errorType 422: error when executing query=\"rate(m1\": argList: unexpected token");
        assertThatThrownBy(() -> QueryRangeResponseParser.parse("f", b(body)))
                .isInstanceOf(IOException.class).hasMessageContaining("argList: unexpected token");
        assertThat(QueryRangeResponseParser.errorText(b("502 Bad Gateway\n"))).isEqualTo("502 Bad Gateway");
    }

    @Test
    void nonJsonAndNonMatrixAnswersAreErrors() {
        assertThatThrownBy(() -> QueryRangeResponseParser.parse("f", b("<html>oops</html>")))
                .isInstanceOf(IOException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> QueryRangeResponseParser.parse("f",
                b("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")))
                .isInstanceOf(IOException.class).hasMessageContaining("vector");
        assertThatThrownBy(() -> QueryRangeResponseParser.parse("f", b("{\"status\":\"success\",\"data\":{\"resultType\":"
                + "\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1,\"2\"]]}")))
                .isInstanceOf(IOException.class);
    }
}
