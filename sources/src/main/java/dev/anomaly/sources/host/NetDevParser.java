package dev.anomaly.sources.host;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reads {@code /proc/net/dev}: bytes received and transmitted per interface. */
public final class NetDevParser {

    private NetDevParser() {
    }

    /**
     * Received and transmitted bytes of every interface except the loopback {@code lo}; the two header lines are
     * skipped, any other line not in the layout is skipped and described to {@code problems}.
     */
    public static List<DeviceCounters> parse(String text, Consumer<String> problems) {
        List<DeviceCounters> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (line.isBlank() || line.contains("|")) {
                continue;
            }
            if (colon <= 0) {
                problems.accept("/proc/net/dev: line '" + line.trim() + "' has no 'interface:'");
                continue;
            }
            String name = line.substring(0, colon).trim();
            if (name.equals("lo")) {
                continue;
            }
            // Large counters can touch the colon ("eth0:123"), hence splitting the part after it.
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 16) {
                problems.accept("/proc/net/dev: line '" + line.trim() + "' has " + f.length
                        + " counters, expected 16");
                continue;
            }
            try {
                out.add(new DeviceCounters(name, ProcNumbers.parseCounter(f[0], "/proc/net/dev", line),
                        ProcNumbers.parseCounter(f[8], "/proc/net/dev", line)));
            } catch (ProcFormatException e) {
                problems.accept(e.getMessage());
            }
        }
        return out;
    }
}
