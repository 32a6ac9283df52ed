package dev.anomaly.sources.host;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code /proc/meminfo} into bytes. */
public final class MemInfoParser {

    private MemInfoParser() {
    }

    /**
     * Every {@code Name: value [kB]} line as bytes (kB are 1024 bytes; unit-less lines such as HugePages_Total are
     * counts, kept as they are). Lines not in that form are skipped.
     */
    public static Map<String, Long> parse(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            try {
                long v = Long.parseLong(f[0]);
                if (f.length > 1 && f[1].equalsIgnoreCase("kB")) {
                    v = Math.multiplyExact(v, 1024L);
                }
                out.put(line.substring(0, colon).trim(), v);
            } catch (NumberFormatException | ArithmeticException e) {
                // not a numeric line: not one we use
            }
        }
        return out;
    }

    /**
     * Available and used memory in bytes: MemAvailable and MemTotal − MemAvailable.
     *
     * @throws ProcFormatException if MemTotal or MemAvailable (Linux 3.14+) is missing
     */
    public static long[] availableAndUsed(Map<String, Long> meminfo) {
        Long total = meminfo.get("MemTotal");
        Long available = meminfo.get("MemAvailable");
        if (total == null || available == null) {
            throw new ProcFormatException("/proc/meminfo: no " + (total == null ? "MemTotal" : "MemAvailable")
                    + " line");
        }
        return new long[] {available, total - available};
    }
}
