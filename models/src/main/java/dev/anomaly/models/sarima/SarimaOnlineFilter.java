package dev.anomaly.models.sarima;

import java.nio.ByteBuffer;

/**
 * Per-series online SARIMA: takes original observations one at a time, differences them with a ring of the last
 * d + s*D values, runs the exact Kalman filter and reports the one-step prediction on the original scale.
 *
 * <p>A missing observation (NaN) is a predict-only step; its prediction stands in for it in the differencing ring
 * (the conditional mean), so later differences stay defined. So is an observation whose difference cannot be taken:
 * one whose lags include a value missing during the warm-up (the observation enters the ring), and a glitch beyond
 * {@link #MAX_DIFFERENCE} or infinite (its prediction enters the ring). Either way the state stays finite. The state
 * serialises to a compact byte array so it can live in Flink keyed state; the model itself is shared and not
 * serialised.
 */
public final class SarimaOnlineFilter {
    /** 2: the Kalman covariance is left out once the filter runs on the model's steady state; 1 is still read. */
    private static final int FORMAT_VERSION = 2;
    /**
     * The largest differenced observation the filter takes (its square and products with the state stay finite);
     * beyond it an observation is stepped over as missing.
     */
    public static final double MAX_DIFFERENCE = 1e150;

    private final SarimaModel model;
    private final Differencing differencing;
    private final SarimaKalmanFilter kalman;
    private final double[] ring;
    private int newest = -1;
    private int seen;

    SarimaOnlineFilter(SarimaModel model) {
        this.model = model;
        this.differencing = model.differencing();
        this.kalman = model.newOnlineKalmanFilter();
        this.ring = new double[differencing.degree()];
    }

    /** The model this filter runs. */
    public SarimaModel model() {
        return model;
    }

    /** True once enough observations arrived for differencing. */
    public boolean ready() {
        return seen >= ring.length;
    }

    /** The prediction for the next observation on the original scale (NaN until {@link #ready()}). */
    public double predictNext() {
        if (!ready()) {
            return Double.NaN;
        }
        return kalman.predictedMean() + (ring.length == 0 ? 0.0 : differencing.lagSumRing(ring, newest));
    }

    /** Takes observation {@code y} (NaN = missing). */
    public OnlineUpdate update(double y) {
        if (!ready()) {
            push(ringValue(y));
            seen++;
            return new OnlineUpdate(Double.NaN, Double.NaN, Double.NaN, Double.isNaN(y), true);
        }
        double lag = ring.length == 0 ? 0.0 : differencing.lagSumRing(ring, newest);
        double prediction = kalman.predictedMean() + lag;
        double variance = kalman.predictedVariance();
        if (Double.isNaN(y)) {
            kalman.update(Double.NaN);
            push(prediction);
            return new OnlineUpdate(prediction, Double.NaN, variance, true, false);
        }
        if (!Double.isFinite(lag)) {
            // A value missing while the ring filled: the difference is unknown until it has left the ring. The
            // filter steps over it as over a missing value, and the observed value takes its place in the ring.
            kalman.update(Double.NaN);
            push(ringValue(y));
            return new OnlineUpdate(Double.NaN, Double.NaN, variance, true, false);
        }
        if (!(Math.abs(y - lag) <= MAX_DIFFERENCE)) {
            // A glitch no measurement makes (1e300, Double.MAX_VALUE, Inf): taking it would overflow the state to
            // Inf and then NaN for good. The filter steps over it as over a missing value; the caller still sees the
            // value (its range signal) and the prediction.
            kalman.update(Double.NaN);
            push(prediction);
            return new OnlineUpdate(prediction, Double.NaN, variance, true, false);
        }
        kalman.update(y - lag);
        push(y);
        return new OnlineUpdate(prediction, y - prediction, variance, false, false);
    }

    /** Forecasts {@code h} steps ahead from the current state. */
    public SarimaForecast forecast(int h) {
        if (!ready()) {
            throw new SarimaException("forecast needs " + ring.length + " observations first, got " + seen);
        }
        double[] history = new double[ring.length];
        for (int i = 0; i < ring.length; i++) {
            int idx = Math.floorMod(newest - (ring.length - 1 - i), ring.length);
            history[i] = ring[idx];
        }
        return SarimaForecaster.forecast(model.stateSpace(), kalman.stateMean(), kalman.stateCovariance(),
                differencing, history, h);
    }

    /** The Kalman filter underneath (tests write the previous state format with it). */
    SarimaKalmanFilter kalman() {
        return kalman;
    }

    /** True once the filter runs on its steady-state gain. */
    public boolean steady() {
        return kalman.steady();
    }

    /** {@code y} as the ring keeps it: a glitch beyond {@link #MAX_DIFFERENCE} is kept as unknown (NaN). */
    private static double ringValue(double y) {
        return Math.abs(y) <= MAX_DIFFERENCE ? y : Double.NaN;
    }

    private void push(double y) {
        if (ring.length == 0) {
            return;
        }
        newest = (newest + 1) % ring.length;
        ring[newest] = y;
    }

    /**
     * The per-series state as bytes: format version, counters, differencing ring and Kalman state (the mean; the
     * covariance only while the filter has not converged to the model's steady state).
     */
    public byte[] serializeState() {
        ByteBuffer buf = ByteBuffer.allocate(4 + 4 + 4 + 4 + 8 * ring.length + 4 + kalman.compactSize());
        buf.putInt(FORMAT_VERSION).putInt(seen).putInt(newest).putInt(ring.length);
        for (double v : ring) {
            buf.putDouble(v);
        }
        buf.putInt(kalman.model().dimension());
        kalman.writeCompact(buf);
        return buf.array();
    }

    /**
     * Restores a filter for {@code model} from {@link #serializeState()} bytes.
     *
     * @throws SarimaException if the bytes were written by a different format or model shape
     */
    public static SarimaOnlineFilter restore(SarimaModel model, byte[] state) {
        SarimaOnlineFilter f = new SarimaOnlineFilter(model);
        ByteBuffer buf = ByteBuffer.wrap(state);
        int version = buf.getInt();
        if (version != 1 && version != FORMAT_VERSION) {
            throw new SarimaException("unknown SARIMA filter state format " + version + ", this build reads formats"
                    + " 1 to " + FORMAT_VERSION);
        }
        f.seen = buf.getInt();
        f.newest = buf.getInt();
        int ringLength = buf.getInt();
        if (ringLength != f.ring.length) {
            throw new SarimaException("filter state has a differencing ring of " + ringLength + " values but "
                    + model.spec() + " needs " + f.ring.length);
        }
        for (int i = 0; i < ringLength; i++) {
            f.ring[i] = buf.getDouble();
        }
        int size = buf.getInt();
        if (version == FORMAT_VERSION) {
            if (size != f.kalman.model().dimension()) {
                throw new SarimaException("filter state has a Kalman state of dimension " + size + " but "
                        + model.spec() + " needs " + f.kalman.model().dimension());
            }
            f.kalman.readCompact(buf);
            return f;
        }
        if (size != f.kalman.stateSize()) {
            throw new SarimaException("filter state has " + size + " Kalman values but " + model.spec() + " needs "
                    + f.kalman.stateSize());
        }
        double[] kf = new double[size];
        for (int i = 0; i < size; i++) {
            kf[i] = buf.getDouble();
        }
        f.kalman.readState(kf, 0);
        return f;
    }
}
