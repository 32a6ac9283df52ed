package dev.anomaly.bench;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.SarimaEeLstm;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one re-estimation of a self-trained series costs ({@code warmup.reestimate-until}): the refit on the
 * background pool ({@code refit}: SARIMA orders, seasonal period and parameters, scaler, gate, calibration sample, on
 * {@code points} values) and the switch on the processing thread ({@code switchOver}: the history run through the
 * new model by {@code SarimaEeLstm.reestimated}). The series is what the job self-trains at the defaults: the
 * hybrid (SEQ_LEN 30, carried LSTM state) trained on the first 120 values of a synthetic seasonal series (period
 * 24), estimated again at {@code points} = 240 ... 3,840 values.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ReestimationBenchmark {
    @Param({"240", "960", "3840"})
    int points;

    SarimaEeLstmTrainer trainer;
    FeatureModel first;
    FeatureModel refitted;
    SarimaEeLstm detector;
    double[] history;

    @Setup
    public void setUp() {
        history = SyntheticSeries.seasonal(points, 24, 5);
        trainer = new SarimaEeLstmTrainer(DetectorMode.HYBRID, HybridConfig.defaults());
        first = trainer.fit(Arrays.copyOf(history, 120));
        detector = new SarimaEeLstm(first);
        detector.prime(Arrays.copyOf(history, 120));
        for (int t = 120; t < points; t++) {
            detector.update(history[t]);
        }
        refitted = trainer.refit(first, history);
    }

    @Benchmark
    public FeatureModel refit() {
        return trainer.refit(first, history);
    }

    @Benchmark
    public SarimaEeLstm switchOver() {
        return detector.reestimated(refitted, history);
    }
}
