package dev.anomaly.sources.replay;

/** The mutable progress of a split being read, advanced as its records are emitted. */
final class ReplaySplitState {

    private final ReplayFileSplit split;
    private long linesConsumed;
    private Long shiftMs;

    ReplaySplitState(ReplayFileSplit split) {
        this.split = split;
        this.linesConsumed = split.linesConsumed();
        this.shiftMs = split.shiftMs();
    }

    void advance(long lines, long shift) {
        this.linesConsumed = lines;
        this.shiftMs = shift;
    }

    String path() {
        return split.path();
    }

    ReplayFileSplit toSplit() {
        return split.withProgress(linesConsumed, shiftMs);
    }
}
