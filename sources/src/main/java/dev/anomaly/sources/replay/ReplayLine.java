package dev.anomaly.sources.replay;

/**
 * One parsed data line: a timestamp and value, or the reason it cannot be used.
 *
 * @param timestampMs epoch milliseconds (valid when {@code reason} is null)
 * @param value the value, NaN for a known gap (valid when {@code reason} is null)
 * @param reason null for a usable line, else the counted reason ({@code bad_timestamp}, ...)
 * @param detail for a malformed line, what was wrong and where
 */
public record ReplayLine(long timestampMs, double value, String reason, String detail) {

    static ReplayLine of(long timestampMs, double value) {
        return new ReplayLine(timestampMs, value, null, null);
    }

    static ReplayLine malformed(String reason, String detail) {
        return new ReplayLine(0L, Double.NaN, reason, detail);
    }

    /** True if the line could not be used. */
    public boolean isMalformed() {
        return reason != null;
    }
}
