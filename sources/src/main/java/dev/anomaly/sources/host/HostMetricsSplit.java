package dev.anomaly.sources.host;

import java.io.Serializable;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * The one split of the host metrics source: "poll this machine". It carries no progress. The previous counters live
 * only in the reader, so after a restore the first poll primes again and the rate series (cpu, disk, network) skip
 * one interval; gauges (memory, load) are not affected.
 */
public record HostMetricsSplit() implements SourceSplit, Serializable {

    private static final long serialVersionUID = 1L;

    /** The split's id. */
    public static final String ID = "host-metrics";

    @Override
    public String splitId() {
        return ID;
    }
}
