package dev.anomaly.job.bench;

import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.SarimaEeLstm;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench --mode hot}: the per-sample detection path ({@link SarimaEeLstm#update}: online SARIMA update, LSTM
 * inference, scoring, calibration) in the calling thread, round-robin over {@code series} detectors of one
 * pre-trained model. Every detector starts from the state of one detector warmed on {@code 2 SEQ_LEN + PERIOD}
 * values (restored from its snapshot), so all are past their warm-up; a JIT warm-up pass precedes the measurement.
 * Latency is the time of one {@code update} call.
 */
public final class HotBench {
    private HotBench() {
    }

    public static BenchResult run(FeatureModel model, int series, long samples) {
        int seqLen = model.config().seqLen();
        SarimaEeLstm seed = new SarimaEeLstm(model);
        int warm = 2 * seqLen + BenchModel.PERIOD;
        for (int t = 0; t < warm; t++) {
            seed.update(BenchModel.value(0, t));
        }
        byte[] state = seed.snapshotState();
        SarimaEeLstm[] detectors = new SarimaEeLstm[series];
        for (int s = 0; s < series; s++) {
            detectors[s] = SarimaEeLstm.restore(model, state);
        }
        long[] step = new long[series];
        java.util.Arrays.fill(step, warm);
        long jitWarmup = Math.min(samples, 50_000);
        long anomalies = 0;
        for (long i = 0; i < jitWarmup; i++) {
            int s = (int) (i % series);
            anomalies += detectors[s].update(BenchModel.value(s, step[s]++)).anomaly() ? 1 : 0;
        }
        LatencyHistogram latency = new LatencyHistogram();
        long start = System.nanoTime();
        for (long i = 0; i < samples; i++) {
            int s = (int) (i % series);
            double v = BenchModel.value(s, step[s]++);
            long t0 = System.nanoTime();
            anomalies += detectors[s].update(v).anomaly() ? 1 : 0;
            latency.record(System.nanoTime() - t0);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long stateBytes = 0;
        int measured = Math.min(series, 100);
        for (int s = 0; s < measured; s++) {
            stateBytes += detectors[s].snapshotState().length;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", "hot");
        details.put("series", series);
        details.put("samples", samples);
        details.put("seconds", seconds);
        details.put("seq_len", seqLen);
        details.put("lstm_state", model.config().lstmState().cliName());
        details.put("hidden", model.config().hiddenSize());
        details.put("layers", model.config().layers());
        details.put("anomalies", anomalies);
        details.put("state_measure", "SarimaEeLstm.snapshotState() bytes, mean of " + measured + " series");
        return new BenchResult(samples / seconds, latency.quantileMs(0.5), latency.quantileMs(0.99),
                (double) stateBytes / measured, details);
    }
}
