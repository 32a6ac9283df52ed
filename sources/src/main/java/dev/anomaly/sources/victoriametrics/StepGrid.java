package dev.anomaly.sources.victoriametrics;

/**
 * The query step grid: the instants {@code k * step} (epoch milliseconds) at which range queries are evaluated.
 * Aligning every request to this grid makes two reads of the same interval return the same points.
 */
final class StepGrid {

    private StepGrid() {
    }

    /** The first grid point strictly after {@code t}. */
    static long firstAfter(long t, long stepMs) {
        return Math.floorDiv(t, stepMs) * stepMs + stepMs;
    }

    /** The last grid point at or before {@code t}. */
    static long lastAtOrBefore(long t, long stepMs) {
        return Math.floorDiv(t, stepMs) * stepMs;
    }
}
