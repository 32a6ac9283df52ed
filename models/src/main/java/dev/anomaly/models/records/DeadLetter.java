package dev.anomaly.models.records;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record a source or operator could not use: where it came from, why (a short machine-readable reason such as
 * {@code invalid_json} plus detail), the original bytes untouched, and when it was seen. Routed to the dead-letter
 * output instead of failing the job.
 *
 * @param origin where the record came from, e.g. {@code kafka:node-samples/3@1234} or {@code replay:file.csv:17}
 * @param reason the counted reason, a short snake_case word
 * @param detail a human-readable explanation
 * @param payload the original bytes
 * @param seenAtMs processing time, epoch milliseconds
 */
public record DeadLetter(String origin, String reason, String detail, byte[] payload, long seenAtMs) {

    public DeadLetter {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
        payload = payload == null ? new byte[0] : payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d && origin.equals(d.origin) && reason.equals(d.reason)
                && detail.equals(d.detail) && Arrays.equals(payload, d.payload) && seenAtMs == d.seenAtMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, reason, detail, seenAtMs) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + origin + ", " + reason + ": " + detail + ", " + payload.length + " bytes]";
    }
}
