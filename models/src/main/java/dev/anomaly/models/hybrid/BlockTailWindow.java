package dev.anomaly.models.hybrid;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * The compact history of the calibration: the last {@code capacity} errors as blocks of {@link #BLOCK} consecutive
 * rows of the stream, each kept only as its sample count and its {@link #TOP} largest values in {@link LogCode}
 * form, plus the block being filled. The window slides by whole blocks: when a block completes, the oldest blocks
 * leave while the completed ones hold more than {@code capacity} samples. 64 blocks of 8 two-byte codes are 1 KiB,
 * against 64 KiB for the values themselves.
 *
 * <p>A block spans {@link #BLOCK} rows, not values: a row without an error (the detector warming up, a missing
 * sample) is counted by {@link #skipRow}. So the blocks end at the same rows of a stream whichever detector scores
 * it, whatever row its first error comes at; the calibration refits there, and a refit decides how long the echoes
 * of a spike keep their high surprises. When blocks counted errors, the hybrid (whose errors start SEQ_LEN rows
 * after SARIMA's) refitted 30 rows later than the sarima mode after every spike, which alone decided their SMD
 * comparison (docs/EVALUATION.md, session 7). A block with rows without an error holds fewer values; as the ring
 * has {@code capacity / BLOCK + 2} slots, a stream with many such rows keeps fewer than {@code capacity} errors,
 * those of about its last {@code capacity} rows.
 *
 * <p>The largest values of the window are exact (to the code's 6.8e-4) as long as no block holds more than TOP of
 * them: the upper {@code TOP / BLOCK} = 12.5% of the window is covered when its values are spread over the blocks.
 * A burst that puts more than TOP of the window's largest values into one block is deliberately capped at TOP,
 * so one dense burst cannot widen the calibrated tail on its own.
 *
 * <p>With {@code keepSums} (the MEAN_K_SIGMA rule) each block also keeps the sum and the sum of squares of all its
 * values, as doubles, for the window's mean and standard deviation.
 */
final class BlockTailWindow {
    static final int BLOCK = 64;
    static final int TOP = 8;

    private final int capacity;
    private final boolean keepSums;
    /** Completed blocks, a ring of {@code slots} blocks starting at {@link #first}. */
    private final char[] codes;
    private final byte[] counts;
    private final double[] sums;
    private final double[] sumSquares;
    private int first;
    private int blocks;
    /** Samples in the completed blocks. */
    private int completedSamples;
    /** The block being filled: its count, largest values (unordered) and sums. */
    private final char[] current = new char[TOP];
    private int currentCount;
    /** Rows the block being filled spans: its values and the rows without one. */
    private int currentRows;
    private double currentSum;
    private double currentSumSquares;

    BlockTailWindow(int capacity, boolean keepSums) {
        if (capacity < BLOCK) {
            throw new IllegalArgumentException("capacity " + capacity + " is less than one block of " + BLOCK);
        }
        this.capacity = capacity;
        this.keepSums = keepSums;
        // A partial block (from seeding) can sit among the full ones: one slot more than full blocks need, and one
        // for the block being added before the oldest leaves.
        int slots = capacity / BLOCK + 2;
        this.codes = new char[slots * TOP];
        this.counts = new byte[slots];
        this.sums = keepSums ? new double[slots] : null;
        this.sumSquares = keepSums ? new double[slots] : null;
    }

    /** Adds a value to the block being filled; true if that completed the block. */
    boolean add(double value) {
        char code = LogCode.encode(value);
        if (currentCount < TOP) {
            current[currentCount] = code;
        } else {
            int smallest = 0;
            for (int i = 1; i < TOP; i++) {
                if (current[i] < current[smallest]) {
                    smallest = i;
                }
            }
            if (code > current[smallest]) {
                current[smallest] = code;
            }
        }
        currentCount++;
        currentRows++;
        currentSum += value;
        currentSumSquares += value * value;
        if (currentRows == BLOCK) {
            closeBlock();
            return true;
        }
        return false;
    }

    /**
     * Counts a row of the stream without a value; true if that completed a block holding values (a block of rows
     * without any value is not kept).
     */
    boolean skipRow() {
        currentRows++;
        if (currentRows < BLOCK) {
            return false;
        }
        boolean holdsValues = currentCount > 0;
        closeBlock();
        return holdsValues;
    }

    /**
     * Adds {@code values} (oldest first) as blocks that end with the last of them: a partial block of the first
     * {@code length % BLOCK} values, then full ones; the block being filled is closed first if it holds values.
     */
    void addAligned(double[] values, int from, int to) {
        closeBlock();
        int lead = (to - from) % BLOCK;
        for (int i = from; i < from + lead; i++) {
            add(values[i]);
        }
        closeBlock();
        for (int i = from + lead; i < to; i++) {
            add(values[i]);
        }
    }

    /** Makes the block being filled a completed block (even if partial) and lets the oldest ones leave. */
    private void closeBlock() {
        currentRows = 0;
        if (currentCount == 0) {
            return;
        }
        int slots = counts.length;
        if (blocks == slots) {
            dropOldest();
        }
        int slot = (first + blocks) % slots;
        int stored = Math.min(currentCount, TOP);
        System.arraycopy(current, 0, codes, slot * TOP, stored);
        counts[slot] = (byte) currentCount;
        if (keepSums) {
            sums[slot] = currentSum;
            sumSquares[slot] = currentSumSquares;
        }
        blocks++;
        completedSamples += currentCount;
        currentCount = 0;
        currentSum = 0;
        currentSumSquares = 0;
        while (completedSamples > capacity) {
            dropOldest();
        }
    }

    private void dropOldest() {
        completedSamples -= counts[first];
        first = (first + 1) % counts.length;
        blocks--;
    }

    /**
     * Multiplies every value the window represents by {@code factor} (finite, > 0), as when the errors it holds are
     * to be read in other units: each code moves by log2(factor) octaves (to the code's precision; codes saturate at
     * both ends and 0 stays 0), the sums scale by {@code factor} and the sums of squares by its square. Counts,
     * blocks and rows do not change, so the refreshes stay where they were.
     */
    void rescale(double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("rescale factor must be finite and > 0, got " + factor);
        }
        long steps = LogCode.steps(factor);
        for (int b = 0; b < blocks; b++) {
            int slot = (first + b) % counts.length;
            for (int i = 0; i < Math.min(counts[slot], TOP); i++) {
                codes[slot * TOP + i] = LogCode.shifted(codes[slot * TOP + i], steps);
            }
            if (keepSums) {
                sums[slot] *= factor;
                sumSquares[slot] *= factor * factor;
            }
        }
        for (int i = 0; i < Math.min(currentCount, TOP); i++) {
            current[i] = LogCode.shifted(current[i], steps);
        }
        currentSum *= factor;
        currentSumSquares *= factor * factor;
    }

    /** Samples the window represents (completed blocks and the one being filled). */
    int samples() {
        return completedSamples + currentCount;
    }

    /** The stored values (each block's largest ones), ascending. */
    double[] storedAscending() {
        int n = Math.min(currentCount, TOP);
        for (int b = 0; b < blocks; b++) {
            n += Math.min(counts[(first + b) % counts.length], TOP);
        }
        char[] all = new char[n];
        int at = 0;
        for (int b = 0; b < blocks; b++) {
            int slot = (first + b) % counts.length;
            int stored = Math.min(counts[slot], TOP);
            System.arraycopy(codes, slot * TOP, all, at, stored);
            at += stored;
        }
        System.arraycopy(current, 0, all, at, Math.min(currentCount, TOP));
        Arrays.sort(all);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = LogCode.decode(all[i]);
        }
        return values;
    }

    /** Sum of all values in the window (needs keepSums). */
    double sum() {
        double s = currentSum;
        for (int b = 0; b < blocks; b++) {
            s += sums[(first + b) % counts.length];
        }
        return s;
    }

    /** Sum of the squares of all values in the window (needs keepSums). */
    double sumOfSquares() {
        double s = currentSumSquares;
        for (int b = 0; b < blocks; b++) {
            s += sumSquares[(first + b) % counts.length];
        }
        return s;
    }

    /**
     * Writes the blocks: count of blocks, then per block its sample count, stored codes (and sums), then the rows
     * the block being filled spans.
     */
    void writeState(DataOutput out) throws IOException {
        out.writeShort(blocks);
        for (int b = 0; b < blocks; b++) {
            int slot = (first + b) % counts.length;
            writeBlock(out, counts[slot], codes, slot * TOP, keepSums ? sums[slot] : 0, keepSums ? sumSquares[slot] : 0);
        }
        writeBlock(out, currentCount, current, 0, currentSum, currentSumSquares);
        out.writeByte(currentRows);
    }

    private void writeBlock(DataOutput out, int count, char[] from, int offset, double sum, double sumSq)
            throws IOException {
        out.writeByte(count);
        for (int i = 0; i < Math.min(count, TOP); i++) {
            out.writeChar(from[offset + i]);
        }
        if (keepSums) {
            out.writeDouble(sum);
            out.writeDouble(sumSq);
        }
    }

    /**
     * Restores what {@link #writeState} wrote into an empty window of the same capacity and keepSums; without
     * {@code withRows} (states written before blocks counted rows) the block being filled spans its values.
     */
    void readState(DataInput in, boolean withRows) throws IOException {
        int n = in.readUnsignedShort();
        if (n > counts.length) {
            throw new IOException("corrupt calibration state: " + n + " blocks, at most " + counts.length);
        }
        first = 0;
        blocks = n;
        completedSamples = 0;
        for (int slot = 0; slot < n; slot++) {
            int count = readCount(in, BLOCK);
            counts[slot] = (byte) count;
            completedSamples += count;
            for (int i = 0; i < Math.min(count, TOP); i++) {
                codes[slot * TOP + i] = in.readChar();
            }
            if (keepSums) {
                sums[slot] = in.readDouble();
                sumSquares[slot] = in.readDouble();
            }
        }
        if (completedSamples > capacity) {
            throw new IOException("corrupt calibration state: " + completedSamples + " samples, capacity "
                    + capacity);
        }
        currentCount = readCount(in, BLOCK - 1);
        for (int i = 0; i < Math.min(currentCount, TOP); i++) {
            current[i] = in.readChar();
        }
        if (keepSums) {
            currentSum = in.readDouble();
            currentSumSquares = in.readDouble();
        }
        currentRows = withRows ? readCount(in, BLOCK - 1) : currentCount;
        if (currentRows < currentCount) {
            throw new IOException("corrupt calibration state: " + currentCount + " values in " + currentRows
                    + " rows");
        }
    }

    private static int readCount(DataInput in, int max) throws IOException {
        int count = in.readUnsignedByte();
        if (count > max) {
            throw new IOException("corrupt calibration state: block of " + count + " samples");
        }
        return count;
    }
}
