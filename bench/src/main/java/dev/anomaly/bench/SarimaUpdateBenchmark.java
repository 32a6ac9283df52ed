package dev.anomaly.bench;

import dev.anomaly.models.sarima.OnlineUpdate;
import dev.anomaly.models.sarima.SarimaModel;
import dev.anomaly.models.sarima.SarimaOnlineFilter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one online SARIMA {@code update(y)} once the filter runs on its steady-state gain: the per-sample cost
 * inside the Flink operator. The stream cycles through a long synthetic series.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SarimaUpdateBenchmark {
    @Param({"101_101_12", "212_111_24"})
    public String model;

    private double[] stream;
    private SarimaOnlineFilter filter;
    private int t;

    @Setup(Level.Trial)
    public void setUp() {
        SarimaModel m = SyntheticSeries.model(model);
        int period = m.spec().order().period();
        double[] warm = SyntheticSeries.seasonal(20_000, period, 1);
        filter = SyntheticSeries.steadyFilter(m, warm);
        if (!filter.steady()) {
            throw new IllegalStateException("filter did not reach its steady state during warm-up");
        }
        stream = SyntheticSeries.seasonal(1 << 16, period, 2);
    }

    @Benchmark
    public OnlineUpdate update() {
        double y = stream[t];
        t = (t + 1) & (stream.length - 1);
        return filter.update(y);
    }
}
