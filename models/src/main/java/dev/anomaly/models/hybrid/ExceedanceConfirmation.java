package dev.anomaly.models.hybrid;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Which exceedances of the calibrated error threshold are alarms. Heavy-tailed noise throws up lone rows beyond the
 * alarm level now and then; an anomaly seldom shows in one row only. So an exceedance (tail probability at most the
 * alarm probability p, surprise {@code level} = -log10 p) is an alarm when
 * <ul>
 *   <li>it is confirmed: among the last {@link #ROWS} rows, this one included, there is a second row with tail
 *   probability at most 10·p ({@link #MARGIN} decade), the current row among the two; so a confirmation raises the
 *   alarm at once or up to {@code ROWS - 1} rows after the exceedance; or</li>
 *   <li>it is alone but {@link #MARGIN} decade rarer: tail probability at most p/10.</li>
 * </ul>
 * The evidence's surprise, the largest of the rows that make the alarm, is what the alarm cooldown's escalation
 * compares. NAB (docs/EVALUATION.md, session 9): hybrid 67.30 → 70.07 standard, the false positives 270 → 223, no
 * window lost.
 */
final class ExceedanceConfirmation {
    /** The rows an exceedance and its confirmation must lie within (the current one and the two before it). */
    static final int ROWS = 3;
    /** Decades of tail probability: a lone exceedance needs p/10, a confirming row 10·p. */
    static final double MARGIN = 1.0;

    private final double level;
    /** Surprises of the previous two rows (0 for a row without an error or before the first). */
    private double previous;
    private double beforePrevious;

    /** For an alarm probability p: the exceedance level is -log10 p. */
    ExceedanceConfirmation(double alarmProbability) {
        this.level = -Math.log10(alarmProbability);
    }

    /**
     * Takes the next row: whether its error is beyond the threshold in force, and its surprise. Returns the surprise
     * of the evidence that makes it an error alarm, or NaN if it is none.
     */
    double observe(boolean exceeds, double surprise) {
        double evidence = Double.NaN;
        if (exceeds && surprise >= level + MARGIN) {
            evidence = surprise;
        } else if (exceeds || surprise >= level - MARGIN) {
            double top = Math.max(previous, beforePrevious);
            if (exceeds && top >= level - MARGIN) {
                evidence = Math.max(surprise, top);
            } else if (top >= level) {
                evidence = top;
            }
        }
        beforePrevious = previous;
        previous = surprise;
        return evidence;
    }

    /** A row without an error: it confirms nothing and needs no confirmation. */
    void skipRow() {
        beforePrevious = previous;
        previous = 0.0;
    }

    void writeState(DataOutput out) throws IOException {
        out.writeDouble(previous);
        out.writeDouble(beforePrevious);
    }

    void readState(DataInput in) throws IOException {
        previous = in.readDouble();
        beforePrevious = in.readDouble();
        if (!(previous >= 0) || !(beforePrevious >= 0)) {
            throw new IOException("confirmation surprises " + previous + ", " + beforePrevious);
        }
    }
}
