package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Test sink: keeps every sample with its arrival time in a JVM-wide list named by the test (MiniCluster runs in-JVM). */
final class CollectingSink implements Sink<Sample> {

    private static final long serialVersionUID = 1L;

    /** A sample and the wall-clock time the sink saw it. */
    record Arrival(Sample sample, long arrivedAtMs) {
    }

    private static final Map<String, ConcurrentLinkedQueue<Arrival>> RECEIVED = new ConcurrentHashMap<>();

    private final String name;

    CollectingSink(String name) {
        this.name = name;
        RECEIVED.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
    }

    static List<Arrival> arrivals(String name) {
        return new ArrayList<>(RECEIVED.getOrDefault(name, new ConcurrentLinkedQueue<>()));
    }

    static List<Sample> samples(String name) {
        return arrivals(name).stream().map(Arrival::sample).toList();
    }

    @Override
    public SinkWriter<Sample> createWriter(WriterInitContext context) {
        ConcurrentLinkedQueue<Arrival> queue = RECEIVED.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
        return new SinkWriter<>() {
            @Override
            public void write(Sample element, Context ctx) {
                queue.add(new Arrival(element, System.currentTimeMillis()));
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
