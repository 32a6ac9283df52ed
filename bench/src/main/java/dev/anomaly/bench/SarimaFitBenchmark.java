package dev.anomaly.bench;

import dev.anomaly.models.sarima.SarimaEstimator;
import dev.anomaly.models.sarima.SarimaFit;
import dev.anomaly.models.sarima.SarimaSpec;
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

/** Time to fit SARIMA(1,0,1)(1,0,1,12) with intercept by exact MLE on 120 and on 600 points. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SarimaFitBenchmark {
    @Param({"120", "600"})
    public int points;

    private double[] y;
    private SarimaSpec spec;
    private final SarimaEstimator estimator = new SarimaEstimator();

    @Setup
    public void setUp() {
        y = SyntheticSeries.seasonal(points, 12, 7);
        spec = SyntheticSeries.spec("101_101_12");
    }

    @Benchmark
    public SarimaFit fit() {
        return estimator.fit(y, spec);
    }
}
