package dev.anomaly.models.sarima;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Automatic order selection: fits every (p,q)(P,Q) in a small bounded grid for given d, D, s and trend, and
 * picks the lowest AIC. Candidates that cannot be fitted are reported with their reason, never silently dropped.
 */
public final class SarimaOrderSelector {
    private final int maxP;
    private final int maxQ;
    private final int maxSeasonalP;
    private final int maxSeasonalQ;
    private final SarimaEstimator estimator;

    /** A grid p, q in 0..maxP/maxQ and P, Q in 0..maxSeasonalP/maxSeasonalQ. */
    public SarimaOrderSelector(int maxP, int maxQ, int maxSeasonalP, int maxSeasonalQ, SarimaEstimator estimator) {
        if (maxP < 0 || maxQ < 0 || maxSeasonalP < 0 || maxSeasonalQ < 0) {
            throw new SarimaException("order-selection bounds must be >= 0");
        }
        this.maxP = maxP;
        this.maxQ = maxQ;
        this.maxSeasonalP = maxSeasonalP;
        this.maxSeasonalQ = maxSeasonalQ;
        this.estimator = estimator;
    }

    /** The default grid: p, q <= 2 and P, Q <= 1. */
    public static SarimaOrderSelector defaultGrid() {
        return new SarimaOrderSelector(2, 2, 1, 1, new SarimaEstimator());
    }

    /** One grid point: its spec and either its fit or why it could not be fitted. */
    public record Candidate(SarimaSpec spec, SarimaFit fit, String failure) {
        public double aic() {
            return fit == null ? Double.POSITIVE_INFINITY : fit.aic();
        }
    }

    /** The selected fit and every candidate, best AIC first. */
    public record Selection(SarimaFit best, List<Candidate> candidates) {
    }

    /**
     * Fits the grid for {@code y}; {@code period} = 0 means no seasonal part.
     *
     * @throws SarimaException if no candidate can be fitted (the message names the first failure)
     */
    public Selection select(double[] y, int d, int seasonalD, int period, Trend trend) {
        List<Candidate> candidates = new ArrayList<>();
        int sp = period > 0 ? maxSeasonalP : 0;
        int sq = period > 0 ? maxSeasonalQ : 0;
        for (int p = 0; p <= maxP; p++) {
            for (int q = 0; q <= maxQ; q++) {
                for (int bigP = 0; bigP <= sp; bigP++) {
                    for (int bigQ = 0; bigQ <= sq; bigQ++) {
                        boolean seasonal = bigP + seasonalD + bigQ > 0;
                        SarimaOrder order = new SarimaOrder(p, d, q, bigP, seasonalD, bigQ, seasonal ? period : 0);
                        SarimaSpec spec = new SarimaSpec(order, trend);
                        try {
                            candidates.add(new Candidate(spec, estimator.fit(y, spec), null));
                        } catch (SarimaException e) {
                            candidates.add(new Candidate(spec, null, e.getMessage()));
                        }
                    }
                }
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::aic));
        Candidate best = candidates.get(0);
        if (best.fit() == null) {
            throw new SarimaException("no SARIMA order could be fitted; e.g. " + best.spec() + ": " + best.failure());
        }
        return new Selection(best.fit(), List.copyOf(candidates));
    }
}
