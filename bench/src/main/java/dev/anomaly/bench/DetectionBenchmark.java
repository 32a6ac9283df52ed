package dev.anomaly.bench;

import dev.anomaly.models.detection.Detection;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.LstmStateMode;
import dev.anomaly.models.hybrid.SarimaEeLstm;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
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
 * The full per-sample detection path, {@code SarimaEeLstm.update} (SARIMA filter, LSTM prediction, MSE,
 * calibrated score, calibration update), in steady state, for each LSTM state mode. The hybrid model is trained in
 * the set-up on a synthetic seasonal series (period 24, 720 points, 3 epochs), SEQ_LEN 60, hidden 16, 1 layer, with
 * its residual correction kept ({@code correction = kept}) or dropped as the trainer's gate drops it where the
 * network does not beat predicting 0 ({@code dropped}: the output layer zeroed, as on most NAB and SMD series).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class DetectionBenchmark {
    static final int TRAINING = 720;
    static final int STREAM = 1 << 16;

    @Param({"window", "carried", "staggered"})
    String lstmState;

    @Param({"60"})
    int seqLen;

    @Param({"kept", "dropped"})
    String correction;

    SarimaEeLstm detector;
    double[] stream;
    int next;

    @Setup
    public void setUp() {
        HybridConfig d = HybridConfig.defaults().withSeqLen(seqLen);
        HybridConfig config = new HybridConfig(d.seqLen(), 16, 1, 3, d.learningRate(), d.batchSize(), d.seed(),
                d.maxP(), 24, d.scoringWindow(), d.alarmProbability(), d.maxTrainingPoints(), d.zScoreWindow(),
                d.alarmCooldown(), d.retrainEvery(), d.thresholdRule(), LstmStateMode.parse(lstmState));
        double[] y = SyntheticSeries.seasonal(TRAINING + STREAM, 24, 5);
        FeatureModel model = new SarimaEeLstmTrainer(DetectorMode.HYBRID, config).keepingCorrection()
                .fit(java.util.Arrays.copyOf(y, TRAINING));
        if (correction.equals("dropped")) {
            model = new FeatureModel(model.mode(), model.sarima(), model.scaler(), model.lstm().withZeroOutput(),
                    model.calibrationSample(), model.thresholdOverride(), model.config());
        }
        detector = new SarimaEeLstm(model);
        stream = java.util.Arrays.copyOfRange(y, TRAINING, y.length);
        for (int i = 0; i < 5000; i++) {
            detector.update(stream[i]);
        }
        next = 5000;
    }

    @Benchmark
    public Detection update() {
        Detection r = detector.update(stream[next]);
        next = (next + 1) & (STREAM - 1);
        return r;
    }
}
