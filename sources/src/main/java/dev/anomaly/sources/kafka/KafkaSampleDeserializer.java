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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one Kafka record of a sample topic into a {@link ParsedRecord}: the samples of the mapped features, or a
 * dead letter (origin {@code kafka:<topic>/<partition>@<offset>}, reason from {@link MalformedReason}, the original
 * value bytes, at most {@link RecordLimits#maxDeadLetterPayloadBytes()} of them). Never throws for bad input, so a bad
 * record cannot fail the job. Besides the format's own rules, every record is held to {@link RecordLimits}: size,
 * labels, a timestamp window around now, and the values of mapped samples.
 *
 * <p>Counters are emitted as raw counter values; {@link dev.anomaly.sources.rates.CounterRateFunction} turns them
 * into rates downstream (keyed state, so rates survive restarts).
 */
public final class KafkaSampleDeserializer implements KafkaRecordDeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final SampleRecordFormat format;
    private final FeatureMappings mappings;
    private final PrometheusTextParser textParser;
    private final RecordLimits limits;
    private transient LongSupplier clock;

    /** With {@link RecordLimits#defaults()}. */
    public KafkaSampleDeserializer(SampleRecordFormat format, FeatureMappings mappings,
                                   PrometheusTextParser textParser) {
        this(format, mappings, textParser, RecordLimits.defaults());
    }

    public KafkaSampleDeserializer(SampleRecordFormat format, FeatureMappings mappings,
                                   PrometheusTextParser textParser, RecordLimits limits) {
        this.format = Objects.requireNonNull(format, "format");
        this.mappings = Objects.requireNonNull(mappings, "mappings");
        this.textParser = Objects.requireNonNull(textParser, "textParser");
        this.limits = Objects.requireNonNull(limits, "limits");
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
            if (value.length > limits.maxRecordBytes()) {
                throw new MalformedRecordException(MalformedReason.RECORD_TOO_LARGE, "record of " + value.length
                        + " bytes exceeds the limit of " + limits.maxRecordBytes() + " bytes");
            }
            List<ExpositionSample> raw = switch (format) {
                case JSON -> List.of(JsonSampleDecoder.decode(value));
                case PROMETHEUS_TEXT -> text(value, recordTimestampMs);
            };
            long now = now();
            for (ExpositionSample s : raw) {
                checkLabels(s);
                checkTimestamp(s.name(), s.timestampMs().orElse(recordTimestampMs), now);
            }
            return map(raw, recordTimestampMs);
        } catch (MalformedRecordException e) {
            return ParsedRecord.ofDeadLetter(deadLetter("kafka:" + topic + "/" + partition + "@" + offset,
                    e.reason(), e.getMessage(), value));
        } catch (RuntimeException e) {
            // Not expected (the fuzz tests look for these); still a record must never fail the job.
            return ParsedRecord.ofDeadLetter(deadLetter("kafka:" + topic + "/" + partition + "@" + offset,
                    MalformedReason.UNEXPECTED, e.toString(), value));
        }
    }

    private DeadLetter deadLetter(String origin, MalformedReason reason, String detail, byte[] value) {
        byte[] payload = value == null ? new byte[0] : value;
        String d = detail == null ? reason.code() : detail;
        if (d.length() > RecordLimits.MAX_DETAIL_CHARS) {
            d = d.substring(0, RecordLimits.MAX_DETAIL_CHARS - 1) + "…";
        }
        if (payload.length > limits.maxDeadLetterPayloadBytes()) {
            d = d + " (payload cut to its first " + limits.maxDeadLetterPayloadBytes() + " of " + payload.length
                    + " bytes)";
            payload = Arrays.copyOf(payload, limits.maxDeadLetterPayloadBytes());
        }
        return new DeadLetter(origin, reason.code(), d, payload, now());
    }

    private void checkLabels(ExpositionSample s) throws MalformedRecordException {
        if (s.labels().size() > limits.maxLabels()) {
            throw new MalformedRecordException(MalformedReason.TOO_MANY_LABELS, "sample " + s.name() + " has "
                    + s.labels().size() + " labels, more than the limit of " + limits.maxLabels());
        }
        int max = limits.maxLabelLength();
        if (s.name().length() > max) {
            throw new MalformedRecordException(MalformedReason.LABEL_TOO_LONG, "metric name of " + s.name().length()
                    + " characters exceeds the limit of " + max);
        }
        for (Map.Entry<String, String> l : s.labels().entrySet()) {
            if (l.getKey().length() > max || l.getValue().length() > max) {
                throw new MalformedRecordException(MalformedReason.LABEL_TOO_LONG, "sample " + s.name() + ": label "
                        + (l.getKey().length() > max ? "name of " + l.getKey().length() + " characters"
                        : l.getKey() + " has a value of " + l.getValue().length() + " characters")
                        + ", more than the limit of " + max);
            }
        }
    }

    private void checkTimestamp(String name, long ts, long now) throws MalformedRecordException {
        long age = limits.maxAge().toMillis();
        long future = limits.maxFuture().toMillis();
        if ((age > 0 && ts < now - age) || (future > 0 && ts > now + future)) {
            throw new MalformedRecordException(MalformedReason.TIMESTAMP_OUT_OF_RANGE, "sample " + name
                    + " at " + ts + " ms is outside [now - " + limits.maxAge() + ", now + " + limits.maxFuture()
                    + "] (now = " + now + " ms)");
        }
    }

    private void checkValue(String name, double v) throws MalformedRecordException {
        if (Double.isInfinite(v)) {
            throw new MalformedRecordException(MalformedReason.NON_FINITE_VALUE, "sample " + name + " has value " + v);
        }
        if (Math.abs(v) > limits.maxAbsValue()) {
            throw new MalformedRecordException(MalformedReason.VALUE_OUT_OF_RANGE, "sample " + name + " has value "
                    + v + ", beyond ±" + limits.maxAbsValue());
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
        for (ExpositionSample s : samples) {
            if (s.timestampMs().isPresent() && s.timestampMs().getAsLong() < 0) {
                // as in the JSON format: a time before 1970 is no sample time (and the window check is off when
                // max-age is 0, the setting for replaying old data)
                throw new MalformedRecordException(MalformedReason.BAD_TIMESTAMP, "sample " + s.name()
                        + " has timestamp " + s.timestampMs().getAsLong() + ", before 1970");
            }
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

    private ParsedRecord map(List<ExpositionSample> raw, long recordTimestampMs) throws MalformedRecordException {
        List<Sample> samples = new ArrayList<>();
        int unmapped = 0;
        for (ExpositionSample s : raw) {
            List<FeatureMapping> features = mappings.matching(s.name(), s.labels());
            if (features.isEmpty()) {
                unmapped++;
                continue;
            }
            checkValue(s.name(), s.value());
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
