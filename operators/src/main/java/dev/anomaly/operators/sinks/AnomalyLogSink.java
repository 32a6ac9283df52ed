package dev.anomaly.operators.sinks;

import dev.anomaly.models.records.DetectionResult;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The local-run sink: logs each anomaly (or every result) as one line of JSON through SLF4J. */
public final class AnomalyLogSink implements Sink<DetectionResult> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger("dev.anomaly.anomalies");

    private final boolean anomaliesOnly;

    public AnomalyLogSink(boolean anomaliesOnly) {
        this.anomaliesOnly = anomaliesOnly;
    }

    @Override
    public SinkWriter<DetectionResult> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(DetectionResult r, Context ctx) {
                if (r.anomaly()) {
                    LOG.warn("ANOMALY {}", DetectionResultJson.toJson(r));
                } else if (!anomaliesOnly) {
                    LOG.info("{}", DetectionResultJson.toJson(r));
                }
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
