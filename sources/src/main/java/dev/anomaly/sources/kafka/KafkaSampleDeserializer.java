package dev.anomaly.sources.kafka;

import dev.anomaly.models.records.DeadLetter;
import dev.anomaly.models.records.Sample;
import dev.anomaly.sources.prometheus.ExpositionFormatException;
import dev.anomaly.sources.prometheus.ExpositionSample;
import dev.anomaly.sources.prometheus.PrometheusTextParser;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one Kafka record of a sample topic into a {@link ParsedRecord}: the samples of the mapped features, or a
 * dead letter (origin {@code kafka:<topic>/<partition>@<offset>}, reason from {@link MalformedReason}, the original
 * value bytes). Never throws for bad input, so a bad record cannot fail the job.
 *
 * <p>Counters are emitted as raw counter values; {@link dev.anomaly.sources.rates.CounterRateFunction} turns them
 * into rates downstream (keyed state, so rates survive restarts).
 */
public final class KafkaSampleDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final SampleRecordFormat format;
    private final FeatureMappings mappings;
    private final PrometheusTextParser textParser;
    private transient LongSupplier clock;

    public KafkaSampleDeserializer(SampleRecordFormat format, FeatureMappings mappings,
                                   PrometheusTextParser textParser) {
        this.format = Objects.requireNonNull(format, "format");
        this.mappings = Objects.requireNonNull(mappings, "mappings");
        this.textParser = Objects.requireNonNull(textParser, "textParser");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        out.collect(parse(record.topic(), record.partition(), record.offset(), record.timestamp(), record.value()));
    }

    /**
     * The pure part of {@link #deserialize}: one record value with its coordinates.
     *
     * @param recordTimestampMs the Kafka record timestamp (negative: none)
     */
    public ParsedRecord parse(String topic, int partition, long offset, long recordTimestampMs, byte[] value) {
        try {
            if (value == null || value.length == 0) {
                throw new MalformedRecordException(MalformedReason.EMPTY_RECORD, "record has no value");
            }
            List<ExpositionSample> raw = switch (format) {
                case JSON -> List.of(JsonSampleDecoder.decode(value));
                case PROMETHEUS_TEXT -> text(value, recordTimestampMs);
            };
            return map(raw, recordTimestampMs);
        } catch (MalformedRecordException e) {
            return ParsedRecord.ofDeadLetter(new DeadLetter("kafka:" + topic + "/" + partition + "@" + offset,
                    e.reason().code(), e.getMessage(), value, now()));
        }
    }

    private List<ExpositionSample> text(byte[] value, long recordTimestampMs) throws MalformedRecordException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRecordException(MalformedReason.INVALID_ENCODING, "record value is not UTF-8 text");
        }
        List<ExpositionSample> samples;
        try {
            samples = textParser.parse(text);
        } catch (ExpositionFormatException e) {
            throw new MalformedRecordException(MalformedReason.TEXT_SYNTAX, e.getMessage());
        }
        if (recordTimestampMs < 0) {
            for (ExpositionSample s : samples) {
                if (s.timestampMs().isEmpty()) {
                    throw new MalformedRecordException(MalformedReason.BAD_TIMESTAMP,
                            "record has no timestamp and sample " + s.name() + " has none of its own");
                }
            }
        }
        return samples;
    }

    private ParsedRecord map(List<ExpositionSample> raw, long recordTimestampMs) {
        List<Sample> samples = new ArrayList<>();
        int unmapped = 0;
        for (ExpositionSample s : raw) {
            List<FeatureMapping> features = mappings.matching(s.name(), s.labels());
            if (features.isEmpty()) {
                unmapped++;
                continue;
            }
            long ts = s.timestampMs().orElse(recordTimestampMs);
            for (FeatureMapping f : features) {
                samples.add(Sample.of(f.feature(), s.name(), s.labels(), ts, s.value()));
            }
        }
        return ParsedRecord.ofSamples(samples, unmapped);
    }

    private long now() {
        return clock == null ? System.currentTimeMillis() : clock.getAsLong();
    }

    /** For tests: the clock that stamps dead letters' {@code seenAtMs}. */
    KafkaSampleDeserializer withClock(LongSupplier clock) {
        this.clock = clock;
        return this;
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
