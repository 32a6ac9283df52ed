package dev.anomaly.bench;

import dev.anomaly.models.sarima.SarimaModel;
import dev.anomaly.models.sarima.SarimaOnlineFilter;
import dev.anomaly.models.sarima.SarimaOrder;
import dev.anomaly.models.sarima.SarimaParams;
import dev.anomaly.models.sarima.SarimaSpec;
import dev.anomaly.models.sarima.Trend;
import java.util.Random;

/** Deterministic seasonal test series and models for the benchmarks. */
final class SyntheticSeries {

    private SyntheticSeries() {
    }

    /** A daily-cycle-like series: level + seasonal sine of period {@code period} + AR(1) noise. */
    static double[] seasonal(int n, int period, long seed) {
        Random rnd = new Random(seed);
        double[] y = new double[n];
        double noise = 0;
        for (int t = 0; t < n; t++) {
            noise = 0.6 * noise + rnd.nextGaussian();
            y[t] = 50 + 10 * Math.sin(2 * Math.PI * t / period) + noise;
        }
        return y;
    }

    static SarimaSpec spec(String name) {
        return switch (name) {
            case "101_101_12" -> new SarimaSpec(SarimaOrder.of(1, 0, 1, 1, 0, 1, 12), Trend.CONSTANT);
            case "212_111_24" -> new SarimaSpec(SarimaOrder.of(2, 1, 2, 1, 1, 1, 24), Trend.NONE);
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
    }

    /** Fixed, stationary and invertible parameters for {@code name}. */
    static SarimaModel model(String name) {
        SarimaSpec spec = spec(name);
        SarimaParams p = switch (name) {
            case "101_101_12" -> new SarimaParams(2.0, new double[] {0.7}, new double[] {-0.2},
                    new double[] {0.5}, new double[] {-0.3}, 1.0);
            case "212_111_24" -> new SarimaParams(0.0, new double[] {0.5, -0.2}, new double[] {-0.3, 0.1},
                    new double[] {0.3}, new double[] {-0.5}, 2.0);
            default -> throw new IllegalArgumentException(name);
        };
        return new SarimaModel(spec, p);
    }

    /** An online filter that has already reached its steady state on {@code warm} observations. */
    static SarimaOnlineFilter steadyFilter(SarimaModel model, double[] warm) {
        SarimaOnlineFilter f = model.newOnlineFilter();
        for (double v : warm) {
            f.update(v);
        }
        return f;
    }
}
