package dev.anomaly.bench;

import dev.anomaly.models.artifact.ModelFile;
import dev.anomaly.models.artifact.TrainedModel;
import dev.anomaly.models.artifact.TrainingRange;
import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import java.util.Arrays;
import java.util.Map;
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
 * What a self-trained model costs the detection operator per sample when the state backend hands out a fresh copy
 * of the series' state on every read (RocksDB): decoding the model-file bytes kept in state ({@code decode}), or,
 * with the operator's decoded-model cache, comparing them with the bytes the kept model came from ({@code compare}).
 * The model is what a series self-trains at the defaults: the hybrid on {@code points} values of a synthetic
 * seasonal series (period 24), SEQ_LEN 30.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ModelFileDecodeBenchmark {
    @Param({"120", "1000"})
    int points;

    byte[] bytes;
    byte[] kept;

    @Setup
    public void setUp() {
        FeatureModel model = new SarimaEeLstmTrainer(DetectorMode.HYBRID, HybridConfig.defaults())
                .fit(SyntheticSeries.seasonal(points, 24, 5));
        bytes = ModelFile.toBytes(new TrainedModel(Map.of("value", model),
                Map.of("value", new TrainingRange("self-trained", points, "", "", 0.0))));
        kept = bytes.clone();
    }

    @Benchmark
    public FeatureModel decode() {
        return ModelFile.fromBytes(bytes, "state").feature("value");
    }

    @Benchmark
    public boolean compare() {
        return Arrays.equals(kept, bytes);
    }
}
