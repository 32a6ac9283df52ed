package dev.anomaly.sources.rates;

/**
 * The last reading of one counter series, kept in keyed state by {@link CounterRateFunction}.
 *
 * @param timestampMs when it was read, epoch milliseconds
 * @param value the counter's value
 */
public record CounterReading(long timestampMs, double value) {
}
