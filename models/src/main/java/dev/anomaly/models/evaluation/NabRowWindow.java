package dev.anomaly.models.evaluation;

/**
 * An anomaly window located on a file's rows: inclusive 0-based row positions, the form NAB scoring works on.
 *
 * @param first row position of the window's first row
 * @param last row position of the window's last row (inclusive)
 */
public record NabRowWindow(int first, int last) {

    /** Checks that the window is non-empty and starts at a valid row. */
    public NabRowWindow {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException(
                    "expected 0 <= first <= last for a row window, got [" + first + ", " + last + "]");
        }
    }

    /** Number of rows in the window, {@code last - first + 1}. */
    public int width() {
        return last - first + 1;
    }
}
