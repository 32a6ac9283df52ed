package dev.anomaly.models.evaluation;

import java.util.List;

/**
 * What a detection on each row of one file would be worth under one profile, and which window the row lies in: the
 * per-row half of NAB's scoring ({@code Sweeper.calcSweepScore} upstream).
 */
final class NabRowValues {

    /** Marks a row outside every window. */
    static final int OUTSIDE = -1;

    private final int probation;
    private final double[] values;
    private final int[] windowOf;

    private NabRowValues(int probation, double[] values, int[] windowOf) {
        this.probation = probation;
        this.values = values;
        this.windowOf = windowOf;
    }

    static NabRowValues of(NabFile file, NabProfile profile) {
        int n = file.rowCount();
        List<NabRowWindow> windows = file.windows();
        double maxTp = scaledSigmoid(-1.0);
        double[] values = new double[n];
        int[] windowOf = new int[n];
        int next = 0;
        int current = OUTSIDE;
        NabRowWindow previous = null;
        for (int i = 0; i < n; i++) {
            if (current == OUTSIDE && next < windows.size() && windows.get(next).first() == i) {
                current = next++;
            }
            windowOf[i] = current;
            if (current != OUTSIDE) {
                NabRowWindow w = windows.get(current);
                double y = -(w.last() - i + 1) / (double) w.width();
                values[i] = scaledSigmoid(y) * profile.tpWeight() / maxTp;
            } else if (previous == null) {
                values[i] = -1.0 * profile.fpWeight();
            } else {
                // After a one-row window the denominator is 0, so y = +Infinity and the full -A_FP applies
                // (NAB itself would raise ZeroDivisionError there).
                double y = Math.abs(previous.last() - i) / (double) (previous.width() - 1);
                values[i] = scaledSigmoid(y) * profile.fpWeight();
            }
            if (current != OUTSIDE && i == windows.get(current).last()) {
                previous = windows.get(current);
                current = OUTSIDE;
            }
        }
        return new NabRowValues(NabFile.probationLength(n), values, windowOf);
    }

    /** NAB's scaled sigmoid: {@code 2/(1+e^{5y}) - 1}, and exactly -1 for {@code y > 3}. */
    static double scaledSigmoid(double y) {
        if (y > 3.0) {
            return -1.0;
        }
        // Same operation order as NAB's 2*sigmoid(-5y) - 1, to keep the last bits alike.
        return 2 * (1 / (1 + Math.exp(5 * y))) - 1.0;
    }

    int probation() {
        return probation;
    }

    int rowCount() {
        return values.length;
    }

    /** Value of a detection on {@code row}: weighted sigmoid inside a window, a (negative) cost outside. */
    double value(int row) {
        return values[row];
    }

    /** Index of the window (in {@link NabFile#windows()}) that holds {@code row}, or {@link #OUTSIDE}. */
    int windowOf(int row) {
        return windowOf[row];
    }
}
