package dev.anomaly.sources.host;

import java.util.List;

/**
 * The aggregate CPU time counters of {@code /proc/stat} in jiffies, by mode.
 *
 * @param jiffies one counter per {@link #MODES} entry, in that order
 */
public record CpuTimes(long[] jiffies) {

    /** The modes, in {@code /proc/stat} column order (guest time is already inside user and nice). */
    public static final List<String> MODES = List.of("user", "nice", "system", "idle", "iowait", "irq", "softirq",
            "steal");

    public CpuTimes {
        if (jiffies.length != MODES.size()) {
            throw new IllegalArgumentException("expected " + MODES.size() + " counters, got " + jiffies.length);
        }
        jiffies = jiffies.clone();
    }

    @Override
    public long[] jiffies() {
        return jiffies.clone();
    }

    /**
     * Percent of the time between {@code earlier} and this reading spent in each mode (summing to 100), or null if
     * no time passed or a counter went backwards (a reset).
     */
    public double[] percentSince(CpuTimes earlier) {
        long total = 0;
        long[] delta = new long[jiffies.length];
        for (int i = 0; i < jiffies.length; i++) {
            delta[i] = jiffies[i] - earlier.jiffies[i];
            if (delta[i] < 0) {
                return null;
            }
            total += delta[i];
        }
        if (total <= 0) {
            return null;
        }
        double[] percent = new double[delta.length];
        for (int i = 0; i < delta.length; i++) {
            percent[i] = 100.0 * delta[i] / total;
        }
        return percent;
    }
}
