/**
 * {@link dev.anomaly.sources.replay.ReplaySource}: a bounded FLIP-27 source replaying NAB-style CSV files
 * ({@code timestamp,value}) as {@link dev.anomaly.models.records.Sample}s.
 *
 * <pre>{@code
 * ReplaySource source = ReplaySource.builder()
 *         .directory(Path.of("nab/realAdExchange"), "exchange")    // label file=<name without .csv>
 *         .file(Path.of("cpu.csv"), "cpu", Map.of("host", "a"))
 *         .rate(10)               // lines per second per file, 0 (default) = as fast as possible
 *         .shiftToNow(true)       // last timestamp of each file lands at the time it is opened
 *         .build();
 * env.fromSource(source, WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(5)), "replay");
 * }</pre>
 *
 * <p>Split state is the number of lines consumed per file, so a restore continues with the next line. Malformed
 * lines are skipped, logged at most once per 10 s and counted in the reader's metric group as
 * {@code anomaly_detector.source.reason=<bad_timestamp|bad_value|bad_columns>.malformed}; empty or {@code NaN} values
 * become NaN samples (known gaps).
 */
package dev.anomaly.sources.replay;
