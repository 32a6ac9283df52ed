package dev.anomaly.operators.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class KafkaResultSinkTest {

    private static final DetectionResult RESULT = new DetectionResult("cpu{instance=\"h:9100\"}", "cpu",
            "node_cpu", Map.of("instance", "h:9100"), 1_000L, 1.5, 1.4, 0.1, Double.NaN, 0.2, 3.0, 0.5, false,
            false, ModelState.SELF_TRAINED, new double[] {1.6}, new double[] {1.0}, new double[] {2.2});

    @Test
    void joinsAJobGraph() {
        // sinkTo asks the Kafka sink for its lineage, which extracts the record type from the serialization
        // schemas: with lambdas as schemas this threw at job submission (no broker needed to see it).
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        for (DeliveryGuarantee g : DeliveryGuarantee.values()) {
            assertThatCode(() -> env.fromData(TypeInformation.of(DetectionResult.class), RESULT)
                    .sinkTo(KafkaResultSink.create("127.0.0.1:9", "events", g, "prefix", new Properties())))
                    .as("sinkTo with %s", g).doesNotThrowAnyException();
        }
    }

    @Test
    void keyIsTheSeriesAndValueTheJsonEvent() throws Exception {
        assertThat(new String(new KafkaResultSink.SeriesIdKey().serialize(RESULT), StandardCharsets.UTF_8))
                .isEqualTo("cpu{instance=\"h:9100\"}");
        var json = new ObjectMapper().readTree(new KafkaResultSink.JsonValue().serialize(RESULT));
        assertThat(json.get("series").asText()).isEqualTo("cpu{instance=\"h:9100\"}");
        assertThat(json.get("timestamp_ms").asLong()).isEqualTo(1_000L);
        assertThat(json.get("value").asDouble()).isEqualTo(1.5);
        assertThat(json.get("predicted_residual").isNull()).isTrue();
    }
}
