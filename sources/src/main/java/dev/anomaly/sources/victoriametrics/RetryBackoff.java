package dev.anomaly.sources.victoriametrics;

import java.util.Random;

/**
 * Exponential backoff with full jitter: the wait before retry {@code n} (1-based) is uniform in
 * {@code [0, min(max, base * 2^(n-1))]}. Full jitter spreads the retries of many readers that lost
 * VictoriaMetrics at the same moment.
 */
final class RetryBackoff {

    private final long baseMs;
    private final long maxMs;
    private final Random random;

    RetryBackoff(long baseMs, long maxMs, Random random) {
        if (baseMs <= 0 || maxMs < baseMs) {
            throw new IllegalArgumentException("retry backoff needs 0 < base <= max, got base=" + baseMs + "ms max="
                    + maxMs + "ms");
        }
        this.baseMs = baseMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    /** The upper bound of the wait before retry {@code attempt} (1-based). */
    long capMs(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long exp = baseMs << shift;
        return exp <= 0 || exp > maxMs ? maxMs : exp;
    }

    /** A random wait in {@code [0, capMs(attempt)]}. */
    long delayMs(int attempt) {
        long cap = capMs(attempt);
        return (long) (random.nextDouble() * (cap + 1));
    }
}
