package dev.anomaly.models.sarima;

/**
 * The orders (p,d,q)(P,D,Q,s) of a multiplicative seasonal ARIMA model.
 *
 * <p>A model without a seasonal part has P = D = Q = 0 and s = 0.
 */
public record SarimaOrder(int p, int d, int q, int seasonalP, int seasonalD, int seasonalQ, int period) {

    public SarimaOrder {
        requireNonNegative("p", p);
        requireNonNegative("d", d);
        requireNonNegative("q", q);
        requireNonNegative("P", seasonalP);
        requireNonNegative("D", seasonalD);
        requireNonNegative("Q", seasonalQ);
        requireNonNegative("s", period);
        boolean seasonal = seasonalP + seasonalD + seasonalQ > 0;
        if (seasonal && period < 2) {
            throw new SarimaException("seasonal period s must be >= 2 when P, D or Q is set, got s=" + period);
        }
        if (!seasonal && period == 1) {
            throw new SarimaException("seasonal period s=1 is not a seasonal period; use s=0 for no seasonal part");
        }
    }

    /** A non-seasonal ARIMA(p,d,q) order. */
    public static SarimaOrder of(int p, int d, int q) {
        return new SarimaOrder(p, d, q, 0, 0, 0, 0);
    }

    /** A seasonal order (p,d,q)(P,D,Q,s). */
    public static SarimaOrder of(int p, int d, int q, int seasonalP, int seasonalD, int seasonalQ, int period) {
        return new SarimaOrder(p, d, q, seasonalP, seasonalD, seasonalQ, period);
    }

    /** True if a seasonal part (P, D or Q) is present. */
    public boolean seasonal() {
        return seasonalP + seasonalD + seasonalQ > 0;
    }

    /** Degree of the product AR polynomial phi(L) Phi(L^s). */
    public int reducedArDegree() {
        return p + period * seasonalP;
    }

    /** Degree of the product MA polynomial theta(L) Theta(L^s). */
    public int reducedMaDegree() {
        return q + period * seasonalQ;
    }

    /** Number of leading observations lost by differencing: d + s*D. */
    public int differencingLoss() {
        return d + period * seasonalD;
    }

    /** Number of ARMA states in Harvey's form: max(p + sP, q + sQ + 1). */
    public int stateDimension() {
        return Math.max(reducedArDegree(), reducedMaDegree() + 1);
    }

    @Override
    public String toString() {
        String base = "(" + p + "," + d + "," + q + ")";
        return seasonal() ? base + "(" + seasonalP + "," + seasonalD + "," + seasonalQ + "," + period + ")" : base;
    }

    private static void requireNonNegative(String name, int value) {
        if (value < 0) {
            throw new SarimaException("order " + name + " must be >= 0, got " + value);
        }
    }
}
