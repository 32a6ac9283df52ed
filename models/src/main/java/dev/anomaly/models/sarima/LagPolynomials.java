package dev.anomaly.models.sarima;

/** Products of the lag polynomials of a multiplicative SARIMA model, expanded to plain coefficient arrays. */
public final class LagPolynomials {

    private LagPolynomials() {
    }

    /**
     * Coefficients phi*_1..phi*_{p+sP} with phi(L) Phi(L^s) = 1 - sum_k phi*_k L^k (index k-1 holds lag k).
     */
    public static double[] reducedAr(double[] ar, double[] seasonalAr, int period) {
        double[] product = multiply(signed(ar, -1.0, 1), signed(seasonalAr, -1.0, period));
        return negatedTail(product);
    }

    /** Coefficients theta*_1..theta*_{q+sQ} with theta(L) Theta(L^s) = 1 + sum_k theta*_k L^k. */
    public static double[] reducedMa(double[] ma, double[] seasonalMa, int period) {
        double[] product = multiply(signed(ma, 1.0, 1), signed(seasonalMa, 1.0, period));
        double[] tail = new double[product.length - 1];
        System.arraycopy(product, 1, tail, 0, tail.length);
        return tail;
    }

    /** Coefficients delta_1..delta_{d+sD} with (1-L)^d (1-L^s)^D = 1 - sum_k delta_k L^k. */
    public static double[] differencing(int d, int seasonalD, int period) {
        double[] poly = {1.0};
        for (int i = 0; i < d; i++) {
            poly = multiply(poly, signed(new double[] {1.0}, -1.0, 1));
        }
        for (int i = 0; i < seasonalD; i++) {
            poly = multiply(poly, signed(new double[] {1.0}, -1.0, period));
        }
        return negatedTail(poly);
    }

    /** Full polynomial 1 + sign*c_1 L^step + sign*c_2 L^{2 step} + ... as coefficients by power of L. */
    static double[] signed(double[] coefficients, double sign, int step) {
        double[] poly = new double[coefficients.length * step + 1];
        poly[0] = 1.0;
        for (int i = 0; i < coefficients.length; i++) {
            poly[(i + 1) * step] = sign * coefficients[i];
        }
        return poly;
    }

    static double[] multiply(double[] a, double[] b) {
        double[] out = new double[a.length + b.length - 1];
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0.0) {
                continue;
            }
            for (int j = 0; j < b.length; j++) {
                out[i + j] += a[i] * b[j];
            }
        }
        return out;
    }

    private static double[] negatedTail(double[] poly) {
        double[] tail = new double[poly.length - 1];
        for (int k = 1; k < poly.length; k++) {
            tail[k - 1] = -poly[k];
        }
        return tail;
    }
}
