package dev.anomaly.sources.host;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The series groups the host metrics source can emit: the feature name of their samples and their metric name. */
public enum HostFeature {
    /** CPU utilisation in percent by mode, from {@code /proc/stat}. */
    CPU("cpu", "host_cpu_utilisation_percent"),
    /** Available and used memory in bytes, from {@code /proc/meminfo}. */
    MEMORY("memory", "host_memory_bytes"),
    /** Load averages over 1, 5 and 15 minutes, from {@code /proc/loadavg}. */
    LOAD("load", "host_load_average"),
    /** Disk read and write bytes per second by whole device, from {@code /proc/diskstats}. */
    DISK("disk", "host_disk_bytes_per_second"),
    /** Network receive and transmit bytes per second by interface (no loopback), from {@code /proc/net/dev}. */
    NETWORK("network", "host_network_bytes_per_second");

    private final String featureName;
    private final String metric;

    HostFeature(String featureName, String metric) {
        this.featureName = featureName;
        this.metric = metric;
    }

    /** The feature name of the samples ({@code cpu}, {@code memory}, ...). */
    public String featureName() {
        return featureName;
    }

    /** The metric name of the samples. */
    public String metric() {
        return metric;
    }

    /**
     * The feature with this name.
     *
     * @throws IllegalArgumentException naming the accepted names if there is none
     */
    public static HostFeature byName(String name) {
        for (HostFeature f : values()) {
            if (f.featureName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown host feature '" + name + "', expected one of "
                + Arrays.stream(values()).map(HostFeature::featureName).collect(Collectors.joining(", ")));
    }
}
