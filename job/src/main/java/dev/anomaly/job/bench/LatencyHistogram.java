package dev.anomaly.job.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Thread-safe latency histogram with log-spaced buckets (16 per doubling, so a quantile is known to within ~4.4%)
 * from 1 ns to about 2^40 ns (18 minutes); larger values land in the last bucket.
 */
public final class LatencyHistogram {
    private static final int PER_OCTAVE = 16;
    private static final int OCTAVES = 40;
    private final AtomicLongArray counts = new AtomicLongArray(PER_OCTAVE * OCTAVES + 1);

    /** Records one latency in nanoseconds (negative values count as 0). */
    public void record(long nanos) {
        counts.incrementAndGet(bucket(nanos));
    }

    static int bucket(long nanos) {
        if (nanos <= 1) {
            return 0;
        }
        int b = (int) Math.floor(Math.log(nanos) / Math.log(2.0) * PER_OCTAVE) + 1;
        return Math.min(b, PER_OCTAVE * OCTAVES);
    }

    /** Number of recorded values. */
    public long count() {
        long n = 0;
        for (int i = 0; i < counts.length(); i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The {@code q} quantile in milliseconds (the geometric middle of its bucket); NaN when empty. */
    public double quantileMs(double q) {
        long n = count();
        if (n == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= Math.max(1, rank)) {
                double nanos = i == 0 ? 1.0 : Math.pow(2.0, (i - 0.5) / PER_OCTAVE);
                return nanos / 1e6;
            }
        }
        throw new IllegalStateException("unreachable");
    }
}
