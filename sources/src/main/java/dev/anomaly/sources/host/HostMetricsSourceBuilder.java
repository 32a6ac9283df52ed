package dev.anomaly.sources.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;

/** Settings of a {@link HostMetricsSource}, each checked when set. */
public final class HostMetricsSourceBuilder {

    /** The default time between polls. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private Duration interval = DEFAULT_INTERVAL;
    private Path procRoot = Path.of("/proc");
    private Path sysRoot = Path.of("/sys");
    private String instance;
    private EnumSet<HostFeature> features = EnumSet.allOf(HostFeature.class);

    HostMetricsSourceBuilder() {
    }

    /** Time between polls (default 5 s); whole milliseconds, at least 1 ms. Timestamps are multiples of it. */
    public HostMetricsSourceBuilder interval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("host metrics interval must be at least 1 ms, got " + interval);
        }
        this.interval = interval;
        return this;
    }

    /** Where {@code /proc} is (default {@code /proc}); tests point it at a directory of their own. */
    public HostMetricsSourceBuilder procRoot(Path procRoot) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        return this;
    }

    /** Where {@code /sys} is (default {@code /sys}); only {@code block/} is read, to tell whole disks. */
    public HostMetricsSourceBuilder sysRoot(Path sysRoot) {
        this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
        return this;
    }

    /** The {@code instance} label (default: the reading machine's host name). */
    public HostMetricsSourceBuilder instance(String instance) {
        if (instance == null || instance.isBlank()) {
            throw new IllegalArgumentException("host metrics instance label must not be blank");
        }
        this.instance = instance;
        return this;
    }

    /** The series groups to poll (default all). */
    public HostMetricsSourceBuilder features(Collection<HostFeature> features) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("host metrics source: at least one feature is needed");
        }
        this.features = EnumSet.copyOf(features);
        return this;
    }

    /**
     * The series groups to poll by name ({@code cpu}, {@code memory}, {@code load}, {@code disk}, {@code network}).
     *
     * @throws IllegalArgumentException naming an unknown name and the accepted ones
     */
    public HostMetricsSourceBuilder features(String... names) {
        EnumSet<HostFeature> set = EnumSet.noneOf(HostFeature.class);
        for (String n : names) {
            set.add(HostFeature.byName(n));
        }
        return features(set);
    }

    /** The source. */
    public HostMetricsSource build() {
        return new HostMetricsSource(interval.toMillis(), procRoot, sysRoot, instance, features);
    }
}
