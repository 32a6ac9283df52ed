package dev.anomaly.sources.host;

/** Reads the aggregate {@code cpu} line of {@code /proc/stat}. */
public final class ProcStatParser {

    private ProcStatParser() {
    }

    /**
     * The aggregate CPU counters; modes missing on old kernels (iowait, irq, softirq, steal) are 0.
     *
     * @throws ProcFormatException if there is no {@code cpu} line with at least user, nice, system and idle
     */
    public static CpuTimes parse(String text) {
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 0 && f[0].equals("cpu")) {
                if (f.length < 5) {
                    throw new ProcFormatException("/proc/stat: cpu line '" + line.trim() + "' has fewer than 4 counters");
                }
                long[] jiffies = new long[CpuTimes.MODES.size()];
                for (int i = 0; i < jiffies.length && i + 1 < f.length; i++) {
                    jiffies[i] = ProcNumbers.parseCounter(f[i + 1], "/proc/stat", line);
                }
                return new CpuTimes(jiffies);
            }
        }
        throw new ProcFormatException("/proc/stat: no aggregate 'cpu' line");
    }
}
