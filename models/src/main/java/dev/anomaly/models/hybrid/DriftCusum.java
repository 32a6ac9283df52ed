package dev.anomaly.models.hybrid;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Sustained changes below the per-row noise: a two-sided CUSUM of the detector's standardised one-step innovations
 * (the normalised residual minus the LSTM's prediction of it), S = max(S+, S-) with S+ = max(0, S+ + z - k) and
 * S- = max(0, S- - z - k), reference value k = 0.5 (the textbook choice for a shift of one standard deviation). A
 * holiday in a taxi series, a failing air conditioner's slow warming, a travel time that stays high: each row is
 * ordinary, their sum is not.
 *
 * <p>How large S gets in normal operation depends on how well the model fits (a misspecified model leaves runs of
 * same-signed innovations), so S is calibrated like the errors: by its own {@link ErrorCalibrator} (peaks over
 * threshold, the detector's alarm probability). S moves slowly, so one value in {@link #SAMPLE_EVERY} is enough:
 * {@link #CAPACITY} samples span the same 4,096 rows as the error calibration, in about 200 bytes of state. S is
 * seeded by the history the detector is primed on and raises nothing until its calibration holds
 * {@link BlockTailWindow#BLOCK} samples. After S exceeds its threshold it restarts at 0, so one change is one alarm.
 */
final class DriftCusum {
    /** The CUSUM's reference value k, in standard deviations of the innovation. */
    static final double REFERENCE = 0.5;
    /** One value of S in this many feeds the calibration. */
    static final int SAMPLE_EVERY = 8;
    /** Samples the calibration keeps: SAMPLE_EVERY x CAPACITY = 4,096 rows, as for the errors. */
    static final int CAPACITY = 512;

    private final ErrorCalibrator calibrator;
    private double up;
    private double down;
    /** Innovations since the last one whose S fed the calibration, 0 .. SAMPLE_EVERY - 1. */
    private int phase;
    /** Samples collected while priming, fed to the calibration by {@link #endPriming}; null otherwise. */
    private double[] primed;
    private int primedCount;

    DriftCusum(double alarmProbability, ThresholdRule rule) {
        this.calibrator = new ErrorCalibrator(CAPACITY, alarmProbability, rule);
    }

    /** The current statistic S = max(S+, S-). */
    double statistic() {
        return Math.max(up, down);
    }

    /** Whether the calibration holds enough samples for S to raise alarms. */
    boolean armed() {
        return calibrator.samples() >= BlockTailWindow.BLOCK;
    }

    /** Advances S by a history value's innovation without scoring it; its samples seed the calibration. */
    void prime(double innovation) {
        if (!Double.isFinite(innovation)) {
            return;
        }
        double s = advance(innovation);
        if (sampleDue()) {
            if (primed == null) {
                primed = new double[64];
            } else if (primedCount == primed.length) {
                primed = Arrays.copyOf(primed, 2 * primed.length);
            }
            primed[primedCount++] = s;
        }
    }

    /** Feeds the samples collected by {@link #prime} to the calibration (the most recent CAPACITY of them). */
    void endPriming() {
        if (primedCount > 0) {
            calibrator.seed(Arrays.copyOf(primed, primedCount));
            calibrator.refresh();
        }
        primed = null;
        primedCount = 0;
    }

    /**
     * Advances S by a scored value's innovation; true if S is beyond its calibrated threshold (S then restarts at
     * 0). A NaN innovation (no error for this row) leaves everything as it is.
     */
    boolean update(double innovation) {
        if (!Double.isFinite(innovation)) {
            return false;
        }
        double s = advance(innovation);
        boolean alarm = armed() && calibrator.isAnomaly(s);
        if (sampleDue()) {
            calibrator.learn(s);
        }
        if (alarm) {
            up = 0;
            down = 0;
        }
        return alarm;
    }

    private double advance(double z) {
        up = Math.max(0.0, up + z - REFERENCE);
        down = Math.max(0.0, down - z - REFERENCE);
        return statistic();
    }

    private boolean sampleDue() {
        boolean due = phase == 0;
        phase = (phase + 1) % SAMPLE_EVERY;
        return due;
    }

    void writeState(DataOutput out) throws IOException {
        out.writeDouble(up);
        out.writeDouble(down);
        out.writeByte(phase);
        calibrator.writeState(out);
    }

    void readState(DataInput in) throws IOException {
        up = in.readDouble();
        down = in.readDouble();
        phase = in.readUnsignedByte();
        if (!(up >= 0 && down >= 0) || phase >= SAMPLE_EVERY) {
            throw new IOException("corrupt drift state: S+ " + up + ", S- " + down + ", phase " + phase);
        }
        calibrator.readState(in, true);
    }
}
