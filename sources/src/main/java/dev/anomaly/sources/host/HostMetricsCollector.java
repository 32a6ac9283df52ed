package dev.anomaly.sources.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import dev.anomaly.models.records.Sample;

/**
 * One poll of the machine's {@code /proc}: reads the files of the chosen features and turns them into samples,
 * keeping the previous counters for rates. A file that is missing or not in the expected layout costs only its own
 * feature for that poll; the problem goes to a {@code (reason, detail)} callback.
 */
public final class HostMetricsCollector {

    /** Reason for a {@code /proc} file that could not be read. */
    public static final String UNREADABLE = "proc_unreadable";
    /** Reason for a {@code /proc} file or line not in the expected layout. */
    public static final String BAD_FORMAT = "proc_bad_format";

    private final Path procRoot;
    private final Path sysRoot;
    private final String instance;
    private final Set<HostFeature> features;
    private final BiConsumer<String, String> problems;
    private CpuTimes previousCpu;
    private final CounterRates diskRates = new CounterRates();
    private final CounterRates netRates = new CounterRates();

    /**
     * @param procRoot where {@code /proc} is
     * @param sysRoot where {@code /sys} is (for {@code /sys/block})
     * @param instance the value of the {@code instance} label of every sample
     * @param features the series groups to read
     * @param problems receives a reason ({@link #UNREADABLE}, {@link #BAD_FORMAT}) and a detail per problem
     */
    public HostMetricsCollector(Path procRoot, Path sysRoot, String instance, Set<HostFeature> features,
                                BiConsumer<String, String> problems) {
        this.procRoot = procRoot;
        this.sysRoot = sysRoot;
        this.instance = instance;
        this.features = features.isEmpty() ? EnumSet.noneOf(HostFeature.class) : EnumSet.copyOf(features);
        this.problems = problems;
    }

    /**
     * Reads every chosen feature once.
     *
     * @param timestampMs the timestamp of the samples (the poll's interval boundary)
     * @param nanoTime when the files are read ({@link System#nanoTime()} scale), for rates
     * @return the samples; rate series are missing on the first poll and after a counter reset
     */
    public List<Sample> collect(long timestampMs, long nanoTime) {
        List<Sample> out = new ArrayList<>();
        for (HostFeature f : features) {
            try {
                switch (f) {
                    case CPU -> cpu(out, timestampMs);
                    case MEMORY -> memory(out, timestampMs);
                    case LOAD -> load(out, timestampMs);
                    case DISK -> disk(out, timestampMs, nanoTime);
                    case NETWORK -> network(out, timestampMs, nanoTime);
                }
            } catch (IOException e) {
                problems.accept(UNREADABLE, "cannot read " + e.getMessage() + " for host feature "
                        + f.featureName());
            } catch (ProcFormatException e) {
                problems.accept(BAD_FORMAT, e.getMessage());
            }
        }
        return out;
    }

    private String read(String relative) throws IOException {
        try {
            return Files.readString(procRoot.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(procRoot.resolve(relative) + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private void cpu(List<Sample> out, long ts) throws IOException {
        CpuTimes now = ProcStatParser.parse(read("stat"));
        CpuTimes before = previousCpu;
        previousCpu = now;
        double[] percent = before == null ? null : now.percentSince(before);
        if (percent == null) {
            return;
        }
        for (int i = 0; i < percent.length; i++) {
            out.add(sample(HostFeature.CPU, "mode", CpuTimes.MODES.get(i), ts, percent[i]));
        }
    }

    private void memory(List<Sample> out, long ts) throws IOException {
        long[] availableUsed = MemInfoParser.availableAndUsed(MemInfoParser.parse(read("meminfo")));
        out.add(sample(HostFeature.MEMORY, "kind", "available", ts, availableUsed[0]));
        out.add(sample(HostFeature.MEMORY, "kind", "used", ts, availableUsed[1]));
    }

    private void load(List<Sample> out, long ts) throws IOException {
        double[] load = LoadAvgParser.parse(read("loadavg"));
        for (int i = 0; i < load.length; i++) {
            out.add(sample(HostFeature.LOAD, "period", LoadAvgParser.PERIODS[i], ts, load[i]));
        }
    }

    private void disk(List<Sample> out, long ts, long nanoTime) throws IOException {
        List<DeviceCounters> disks = DiskStatsParser.parse(read("diskstats"), BlockDevices.wholeDisks(sysRoot),
                detail -> problems.accept(BAD_FORMAT, detail));
        emitRates(out, HostFeature.DISK, disks, "read", "write", diskRates, ts, nanoTime);
    }

    private void network(List<Sample> out, long ts, long nanoTime) throws IOException {
        List<DeviceCounters> interfaces = NetDevParser.parse(read("net/dev"),
                detail -> problems.accept(BAD_FORMAT, detail));
        emitRates(out, HostFeature.NETWORK, interfaces, "receive", "transmit", netRates, ts, nanoTime);
    }

    private void emitRates(List<Sample> out, HostFeature feature, List<DeviceCounters> devices, String first,
                           String second, CounterRates rates, long ts, long nanoTime) {
        Map<String, Long> counters = new LinkedHashMap<>();
        for (DeviceCounters d : devices) {
            counters.put(d.device() + "\u0000" + first, d.first());
            counters.put(d.device() + "\u0000" + second, d.second());
        }
        for (Map.Entry<String, Double> r : rates.update(counters, nanoTime).entrySet()) {
            int sep = r.getKey().indexOf('\u0000');
            Map<String, String> labels = Map.of("instance", instance, "device", r.getKey().substring(0, sep),
                    "direction", r.getKey().substring(sep + 1));
            out.add(Sample.of(feature.featureName(), feature.metric(), labels, ts, r.getValue()));
        }
    }

    private Sample sample(HostFeature feature, String label, String labelValue, long ts, double value) {
        return Sample.of(feature.featureName(), feature.metric(), Map.of("instance", instance, label, labelValue),
                ts, value);
    }
}
