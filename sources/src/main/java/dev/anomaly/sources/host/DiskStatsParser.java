package dev.anomaly.sources.host;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Reads {@code /proc/diskstats}: bytes read and written per device (sectors of 512 bytes, whatever the disk). */
public final class DiskStatsParser {

    /** The kernel counts diskstats sectors in 512-byte units regardless of the device's sector size. */
    static final long SECTOR_BYTES = 512L;

    private DiskStatsParser() {
    }

    /**
     * Read and written bytes of every device {@code keep} accepts; a line not in the diskstats layout is skipped and
     * described to {@code problems}.
     */
    public static List<DeviceCounters> parse(String text, Predicate<String> keep, Consumer<String> problems) {
        List<DeviceCounters> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && !keep.test(f[2])) {
                continue;
            }
            if (f.length < 14) {
                problems.accept("/proc/diskstats: line '" + line.trim() + "' has " + f.length
                        + " fields, expected at least 14");
                continue;
            }
            try {
                long read = ProcNumbers.parseCounter(f[5], "/proc/diskstats", line);
                long written = ProcNumbers.parseCounter(f[9], "/proc/diskstats", line);
                out.add(new DeviceCounters(f[2], read * SECTOR_BYTES, written * SECTOR_BYTES));
            } catch (ProcFormatException e) {
                problems.accept(e.getMessage());
            }
        }
        return out;
    }
}
