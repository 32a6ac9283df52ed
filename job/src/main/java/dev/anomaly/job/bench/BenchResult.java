package dev.anomaly.job.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one {@code bench} run. {@link #keyValueLine()} is the contract line that acceptance checks parse;
 * {@link #json()} holds the same figures plus the run's settings.
 *
 * @param samplesPerSec samples scored per second of wall time
 * @param p50Ms median latency, sample in to result out, milliseconds
 * @param p99Ms 99th percentile latency, milliseconds
 * @param stateBytesPerSeries keyed state per series, bytes (hot mode: the detector snapshot; job mode: the size of
 *                            a completed checkpoint divided by the series)
 * @param details settings and extra figures, in order, for the JSON form
 */
public record BenchResult(double samplesPerSec, double p50Ms, double p99Ms, double stateBytesPerSeries,
                          Map<String, Object> details) {

    public BenchResult {
        details = new LinkedHashMap<>(details);
    }

    /** {@code samples_per_sec=<x> p50_ms=<y> p99_ms=<z> state_bytes_per_series=<w>}. */
    public String keyValueLine() {
        return String.format(Locale.ROOT, "samples_per_sec=%.1f p50_ms=%.4f p99_ms=%.4f state_bytes_per_series=%.1f",
                samplesPerSec, p50Ms, p99Ms, stateBytesPerSeries);
    }

    /** One JSON object with the four figures and the details. */
    public String json() {
        StringBuilder b = new StringBuilder("{");
        b.append(String.format(Locale.ROOT, "\"samples_per_sec\":%s,\"p50_ms\":%s,\"p99_ms\":%s,"
                        + "\"state_bytes_per_series\":%s", number(samplesPerSec), number(p50Ms), number(p99Ms),
                number(stateBytesPerSeries)));
        for (Map.Entry<String, Object> e : details.entrySet()) {
            b.append(",\"").append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof Number n) {
                b.append(number(n.doubleValue()));
            } else if (v instanceof Boolean flag) {
                b.append(flag);
            } else {
                b.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return b.append('}').toString();
    }

    private static String number(double v) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
