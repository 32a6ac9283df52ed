package dev.anomaly.models.io;

import java.util.Objects;

/**
 * A numeric matrix read from an SMD-style file (one row per time step, one column per metric), held column by
 * column because detectors consume one metric at a time.
 */
public final class SmdMatrix {

    private final int rowCount;
    private final double[][] columns;

    /** A matrix from its columns, which must all have the same length; the arrays are not copied. */
    public SmdMatrix(double[][] columns) {
        Objects.requireNonNull(columns, "columns");
        if (columns.length == 0) {
            throw new IllegalArgumentException("an SMD matrix needs at least one column");
        }
        int rows = columns[0].length;
        for (int j = 1; j < columns.length; j++) {
            if (columns[j].length != rows) {
                throw new IllegalArgumentException(
                        "column " + j + " has " + columns[j].length + " rows, expected " + rows);
            }
        }
        this.rowCount = rows;
        this.columns = columns;
    }

    /** Number of rows (time steps). */
    public int rowCount() {
        return rowCount;
    }

    /** Number of columns (metrics). */
    public int columnCount() {
        return columns.length;
    }

    /** Column {@code j} (0-based) as a live array: callers must not modify it. */
    public double[] column(int j) {
        return columns[j];
    }
}
