package dev.anomaly.job.train;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.sarima.SarimaModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table printed after training: per feature the points trained on, the SARIMA order chosen, its exact
 * log-likelihood on the differenced training window, what the LSTM does (hybrid: {@code correction} when its
 * residual correction was kept, {@code dropped} when it did not beat SARIMA alone on the held-out residuals; lstm
 * mode: {@code values}), the calibrated MSE threshold and the training time.
 */
public final class TrainingSummary {
    private static final String[] HEADER = {"feature", "points", "sarima", "loglik", "lstm", "threshold",
        "seconds"};
    /** Columns aligned right (numbers); the others align left. */
    private static final boolean[] RIGHT = {false, true, false, true, false, true, true};

    private TrainingSummary() {
    }

    /** The table, one line per feature in the given order, ending with a newline. */
    public static String table(List<TrainedFeature> features) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (TrainedFeature f : features) {
            int points = f.range().points();
            rows.add(new String[] {
                    f.name(),
                    points == f.rows() ? Integer.toString(points) : points + " of " + f.rows(),
                    order(f.model().sarima()),
                    Double.isNaN(f.logLikelihood()) ? "-" : String.format(Locale.ROOT, "%.3f", f.logLikelihood()),
                    lstmRole(f.model()),
                    String.format(Locale.ROOT, "%.6g", f.model().threshold()),
                    String.format(Locale.ROOT, "%.1f", f.range().seconds())});
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[c] - r[c].length());
                line.append(RIGHT[c] ? pad + r[c] : r[c] + pad);
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    /** What the feature's LSTM does: see the class comment. */
    static String lstmRole(FeatureModel model) {
        if (model.lstm() == null) {
            return "-";
        }
        if (model.mode() == DetectorMode.LSTM) {
            return "values";
        }
        return model.lstm().predictsZero() ? "dropped" : "correction";
    }

    /** {@code (p,d,q)(P,D,Q,s) trend}, e.g. {@code (2,0,1)(0,1,0,288) n}; {@code -} without a SARIMA part. */
    static String order(SarimaModel sarima) {
        return sarima == null ? "-" : sarima.spec().order() + " " + sarima.spec().trend().code();
    }
}
