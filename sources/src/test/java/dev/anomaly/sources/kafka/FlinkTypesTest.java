package dev.anomaly.sources.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.Sample;
import dev.anomaly.sources.rates.CounterReading;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The records that travel between operators or sit in state are Flink POJOs, serializable without Kryo. */
class FlinkTypesTest {

    private static <T> T roundTrip(Class<T> type, T value) throws Exception {
        TypeInformation<T> info = TypeInformation.of(type);
        assertThat(info).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // fails on any field that would need Kryo
        TypeSerializer<T> serializer = info.createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void parsedRecordWithSamples() throws Exception {
        ParsedRecord r = ParsedRecord.ofSamples(List.of(Sample.of("cpu", "m", Map.of("a", "1"), 5, 1.5),
                Sample.of("load", "n", Map.of(), 6, Double.NaN)), 3);
        assertThat(roundTrip(ParsedRecord.class, r)).isEqualTo(r);
    }

    @Test
    void parsedRecordWithDeadLetter() throws Exception {
        ParsedRecord r = ParsedRecord.ofDeadLetter(new DeadLetter("kafka:t/0@1", "invalid_json", "oops",
                new byte[] {1, 2, 3}, 9));
        assertThat(roundTrip(ParsedRecord.class, r)).isEqualTo(r);
    }

    @Test
    void counterReading() throws Exception {
        assertThat(roundTrip(CounterReading.class, new CounterReading(5, 2.5))).isEqualTo(new CounterReading(5, 2.5));
    }
}
