package dev.anomaly.job.graph;

import dev.anomaly.models.records.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs dead letters (origin, reason, detail, the first bytes of the payload) where no dead-letter topic is set. */
final class DeadLetterLogSink implements Sink<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger("dev.anomaly.deadletters");

    @Override
    public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(DeadLetter d, Context ctx) {
                byte[] p = d.payload();
                String head = new String(p, 0, Math.min(p.length, 200), StandardCharsets.UTF_8);
                LOG.warn("dead letter from {}: {} ({}) payload: {}", d.origin(), d.reason(), d.detail(), head);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
