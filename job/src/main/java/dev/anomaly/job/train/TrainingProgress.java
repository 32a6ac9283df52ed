package dev.anomaly.job.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress of a training run on stderr: a bar with the count of finished features and the last one's name.
 * On a terminal the bar is redrawn in place; otherwise each finished feature gets its own line.
 */
public final class TrainingProgress implements FeatureTraining.Listener {
    private static final int WIDTH = 20;

    private final PrintStream err;
    private final boolean interactive;
    private int lastLength;

    /** @param interactive redraw one line with carriage returns (stderr is a terminal) */
    public TrainingProgress(PrintStream err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    @Override
    public void trained(TrainedFeature feature, int done, int total) {
        show(bar(done, total) + " " + feature.name() + String.format(Locale.ROOT, " (%.1f s)",
                feature.range().seconds()), false);
        if (interactive && done == total) {
            err.println();
            lastLength = 0;
        }
    }

    @Override
    public void skipped(FeatureTrainingException failure, int done, int total) {
        // A skipped feature is a warning that must stay visible, so it always gets its own line.
        show(bar(done, total) + " " + failure.feature() + " skipped: " + failure.reason(), true);
    }

    private void show(String text, boolean keep) {
        if (!interactive) {
            err.println(text);
            return;
        }
        String padded = text.length() < lastLength ? text + " ".repeat(lastLength - text.length()) : text;
        err.print("\r" + padded);
        if (keep) {
            err.println();
            lastLength = 0;
        } else {
            lastLength = text.length();
        }
        err.flush();
    }

    /** Ends a bar left open on a terminal (a run that stopped early), so that what follows starts a new line. */
    public void close() {
        if (interactive && lastLength > 0) {
            err.println();
            lastLength = 0;
        }
    }

    static String bar(int done, int total) {
        int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total;
    }
}
