package dev.anomaly.models.hybrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seasonal test series with injected anomalies of known kind, position and length. */
final class SyntheticAnomalies {
    static final int PERIOD = 24;
    static final double SIGMA = 0.5;

    enum Kind { SPIKE, LEVEL_SHIFT, VARIANCE_CHANGE }

    record Event(Kind kind, int start, int length) {
    }

    record Series(double[] values, List<Event> events) {
    }

    private SyntheticAnomalies() {
    }

    /** Level 10, daily-like sine of amplitude 3 over PERIOD steps, AR(0.5) noise of standard deviation SIGMA. */
    static double[] clean(int n, long seed) {
        Random rnd = new Random(seed);
        double[] y = new double[n];
        double noise = 0;
        double innovation = SIGMA * Math.sqrt(1 - 0.25);
        for (int t = 0; t < n; t++) {
            noise = 0.5 * noise + innovation * rnd.nextGaussian();
            y[t] = 10 + 3 * Math.sin(2 * Math.PI * t / PERIOD) + noise;
        }
        return y;
    }

    /** {@code clean(n)} with one anomaly of {@code kind} at {@code at}. */
    static Series withOneAnomaly(int n, Kind kind, int at, long seed) {
        double[] y = clean(n, seed);
        Random rnd = new Random(seed + 1);
        int length = kind == Kind.SPIKE ? 1 : 40;
        for (int k = 0; k < length; k++) {
            y[at + k] += switch (kind) {
                case SPIKE -> (seed % 2 == 0 ? 8 : -8) * SIGMA;
                case LEVEL_SHIFT -> 6 * SIGMA;
                case VARIANCE_CHANGE -> 4 * SIGMA * rnd.nextGaussian();
            };
        }
        return new Series(y, List.of(new Event(kind, at, length)));
    }

    /**
     * {@code clean(n)} with one anomaly every {@code spacing} steps after {@code from}, cycling through spikes of
     * +-8 sigma, level shifts of 6 sigma lasting 40 steps and a five-fold noise increase lasting 40 steps.
     */
    static Series withAnomalies(int n, int from, int spacing, long seed) {
        double[] y = clean(n, seed);
        Random rnd = new Random(seed + 1);
        List<Event> events = new ArrayList<>();
        int i = 0;
        for (int t = from; t + 50 < n; t += spacing, i++) {
            Kind kind = Kind.values()[i % 3];
            switch (kind) {
                case SPIKE -> {
                    y[t] += (i % 2 == 0 ? 8 : -8) * SIGMA;
                    events.add(new Event(kind, t, 1));
                }
                case LEVEL_SHIFT -> {
                    for (int k = 0; k < 40; k++) {
                        y[t + k] += 6 * SIGMA;
                    }
                    events.add(new Event(kind, t, 40));
                }
                case VARIANCE_CHANGE -> {
                    for (int k = 0; k < 40; k++) {
                        y[t + k] += 4 * SIGMA * rnd.nextGaussian();
                    }
                    events.add(new Event(kind, t, 40));
                }
            }
        }
        return new Series(y, events);
    }
}
