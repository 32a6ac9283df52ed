package dev.anomaly.bench;

import dev.anomaly.models.lstm.LstmForwardPass;
import dev.anomaly.models.lstm.LstmLayerWeights;
import dev.anomaly.models.lstm.LstmState;
import dev.anomaly.models.lstm.LstmWeights;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Plain-Java LSTM inference per series-sample: one SEQ_LEN window from a zero state, the same over a batch of
 * {@link #BATCH} windows (reported per window), one carried-state cell step (the streaming option), and
 * {@link #BATCH} carried states stepped in one {@link LstmForwardPass#stepBatch} call (the job's
 * {@code inference.batch-size}; reported per step).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LstmInferenceBenchmark {
    static final int BATCH = 64;

    @Param({"60"})
    int seqLen;

    @Param({"16"})
    int hidden;

    LstmForwardPass pass;
    double[] window;
    double[][] windows;
    double[] out;
    LstmState state;
    double x;
    LstmState[] states;
    double[] inputs;

    /** Random weights of DL4J's shape (the cost does not depend on their values). */
    static LstmWeights weights(int hidden, long seed) {
        Random rnd = new Random(seed);
        double[] in = new double[4 * hidden];
        double[] rec = new double[hidden * 4 * hidden];
        double[] bias = new double[4 * hidden];
        double[] outW = new double[hidden];
        for (double[] a : List.of(in, rec, bias, outW)) {
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextGaussian() * 0.3;
            }
        }
        return new LstmWeights(List.of(new LstmLayerWeights(1, hidden, in, rec, bias)), outW, 0.1);
    }

    @Setup
    public void setUp() {
        pass = new LstmForwardPass(weights(hidden, 7));
        double[] y = SyntheticSeries.seasonal(seqLen + BATCH, 24, 3);
        window = java.util.Arrays.copyOf(y, seqLen);
        windows = new double[BATCH][];
        for (int b = 0; b < BATCH; b++) {
            windows[b] = java.util.Arrays.copyOfRange(y, b, b + seqLen);
            for (int i = 0; i < seqLen; i++) {
                windows[b][i] = (windows[b][i] - 50) / 10;
            }
        }
        for (int i = 0; i < seqLen; i++) {
            window[i] = (window[i] - 50) / 10;
        }
        out = new double[BATCH];
        state = pass.newState();
        states = new LstmState[BATCH];
        inputs = new double[BATCH];
        for (int b = 0; b < BATCH; b++) {
            states[b] = pass.newState();
            inputs[b] = windows[b][0];
        }
    }

    @Benchmark
    public double singleWindow() {
        return pass.predict(window);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] batchedWindows() {
        pass.predictBatch(windows, out);
        return out;
    }

    @Benchmark
    public double carriedStateStep() {
        x = pass.step(state, x * 0.5 + 0.1);
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] batchedCarriedSteps() {
        pass.stepBatch(states, inputs, BATCH, out);
        for (int b = 0; b < BATCH; b++) {
            inputs[b] = out[b] * 0.5 + 0.1;
        }
        return out;
    }
}
