package dev.anomaly.models.hybrid;

import java.util.Locale;

/**
 * How the detector gets the LSTM's prediction for the next value (hybrid and lstm modes).
 */
public enum LstmStateMode {
    /** Every sample runs the whole last-SEQ_LEN window from a zero state, exactly as in training: SEQ_LEN cell steps. */
    WINDOW,
    /** One (h, c) state per series is carried from the series' start and advanced one cell step per sample. */
    CARRIED,
    /**
     * Two carried states, each restarted from zero every 2 SEQ_LEN samples, SEQ_LEN apart; the prediction comes from
     * the older one, so it has seen the last SEQ_LEN+1 .. 2 SEQ_LEN values (a window close to the trained one, never
     * an unbounded history): two cell steps per sample.
     */
    STAGGERED;

    /** The name used in configuration and on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@link #cliName()}. */
    public static LstmStateMode parse(String s) {
        for (LstmStateMode m : values()) {
            if (m.cliName().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("lstm-state must be one of window, carried, staggered, got '" + s + "'");
    }
}
