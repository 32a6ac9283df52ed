package dev.anomaly.operators.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The Kafka result sink can be added to a job graph, and its key and value are the series id and the JSON event. */
class KafkaResultSinkTest {

    @Test
    void attachesToAStreamForEveryGuarantee() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        for (DeliveryGuarantee g : DeliveryGuarantee.values()) {
            // Adding the sink computes its lineage, which extracts the serialization schemas' types: lambdas fail here.
            assertThatCode(() -> env.fromData(TypeInformation.of(DetectionResult.class), result())
                    .sinkTo(KafkaResultSink.create("127.0.0.1:1", "anomalies", g, "prefix", new Properties()))
                    .name("sink " + g)).as("%s", g).doesNotThrowAnyException();
        }
        assertThatCode(env::getStreamGraph).doesNotThrowAnyException();
    }

    @Test
    void keyIsTheSeriesIdAndValueTheJsonEvent() {
        DetectionResult r = result();
        assertThat(new String(new KafkaResultSink.SeriesIdKey().serialize(r), StandardCharsets.UTF_8))
                .isEqualTo("cpu{host=\"a\"}");
        assertThat(new KafkaResultSink.JsonValue().serialize(r)).isEqualTo(DetectionResultJson.toBytes(r));
    }

    static DetectionResult result() {
        return new DetectionResult("cpu{host=\"a\"}", "cpu", "cpu", Map.of("host", "a"), 1_000L, 1.5, 1.4, 0.1, 0.05,
                0.2, 1.0, 0.3, false, false, ModelState.SELF_TRAINED, null, null, null);
    }
}
