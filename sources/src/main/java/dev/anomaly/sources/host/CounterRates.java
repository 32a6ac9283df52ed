package dev.anomaly.sources.host;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-second rates of monotonically increasing counters from one reading to the next. A counter seen for the first
 * time only primes; one that went backwards (reset, wrap, device replaced) gives no rate for that interval and
 * primes again; a counter missing from a reading is forgotten.
 */
public final class CounterRates {

    private Map<String, Long> previous = new HashMap<>();
    private long previousNanos;

    /**
     * The rates of the counters present in both this reading and the previous one.
     *
     * @param counters this reading, by key
     * @param nanoTime when it was taken ({@link System#nanoTime()} scale)
     * @return rate per second by key, in {@code counters}' iteration order; empty on the first reading
     */
    public Map<String, Double> update(Map<String, Long> counters, long nanoTime) {
        Map<String, Double> rates = new LinkedHashMap<>();
        double seconds = (nanoTime - previousNanos) / 1e9;
        if (seconds > 0) {
            for (Map.Entry<String, Long> e : counters.entrySet()) {
                Long before = previous.get(e.getKey());
                if (before != null && e.getValue() >= before) {
                    rates.put(e.getKey(), (e.getValue() - before) / seconds);
                }
            }
        }
        previous = new HashMap<>(counters);
        previousNanos = nanoTime;
        return rates;
    }
}
