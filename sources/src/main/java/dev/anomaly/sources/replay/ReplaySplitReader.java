package dev.anomaly.sources.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.anomaly.models.records.Sample;
import dev.anomaly.models.records.SeriesIds;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the lines of the assigned files in the fetcher thread: as fast as possible in batches taken from the files in
 * turn, or paced at a fixed number of lines per second per file, all files side by side.
 */
final class ReplaySplitReader implements SplitReader<ReplayRecord, ReplayFileSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(ReplaySplitReader.class);
    static final int MAX_BATCH = 1024;
    /** A paced file that fell further behind than this (back-pressure) resumes from now instead of bursting. */
    private static final long MAX_CATCH_UP_NANOS = 1_000_000_000L;

    private final long periodNanos;
    private final boolean shiftToNow;
    private final ArrayDeque<OpenFile> files = new ArrayDeque<>();
    private final Object wakeLock = new Object();
    private boolean wokenUp;

    ReplaySplitReader(double samplesPerSecondPerSplit, boolean shiftToNow) {
        this.periodNanos = samplesPerSecondPerSplit > 0 ? Math.max(1L, Math.round(1e9 / samplesPerSecondPerSplit)) : 0L;
        this.shiftToNow = shiftToNow;
    }

    @Override
    public RecordsWithSplitIds<ReplayRecord> fetch() throws IOException {
        RecordsBySplits.Builder<ReplayRecord> batch = new RecordsBySplits.Builder<>();
        if (files.isEmpty()) {
            return batch.build();
        }
        if (periodNanos == 0) {
            OpenFile file = files.poll();
            if (file.readInto(batch, MAX_BATCH)) {
                files.add(file);
            } else {
                finish(file, batch);
            }
            return batch.build();
        }
        long now = System.nanoTime();
        long earliestDue = Long.MAX_VALUE;
        int taken = 0;
        for (Iterator<OpenFile> it = files.iterator(); it.hasNext(); ) {
            OpenFile file = it.next();
            if (now - file.nextDueNanos > MAX_CATCH_UP_NANOS) {
                file.nextDueNanos = now;
            }
            boolean open = true;
            while (open && taken < MAX_BATCH && file.nextDueNanos - now <= 0) {
                open = file.readInto(batch, 1);
                file.nextDueNanos += periodNanos;
                taken++;
            }
            if (!open) {
                it.remove();
                finish(file, batch);
            } else {
                earliestDue = Math.min(earliestDue, file.nextDueNanos);
            }
        }
        if (taken == 0 && earliestDue != Long.MAX_VALUE) {
            sleepUntil(earliestDue);
        }
        return batch.build();
    }

    private void sleepUntil(long dueNanos) {
        synchronized (wakeLock) {
            long waitNanos = dueNanos - System.nanoTime();
            while (!wokenUp && waitNanos > 0) {
                try {
                    wakeLock.wait(waitNanos / 1_000_000L, (int) (waitNanos % 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                waitNanos = dueNanos - System.nanoTime();
            }
            wokenUp = false;
        }
    }

    private static void finish(OpenFile file, RecordsBySplits.Builder<ReplayRecord> batch) throws IOException {
        file.close();
        batch.addFinishedSplit(file.split.splitId());
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ReplayFileSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("replay source: unsupported split change " + change);
        }
        long now = System.nanoTime();
        for (ReplayFileSplit split : change.splits()) {
            try {
                OpenFile file = new OpenFile(split, shiftOf(split));
                file.nextDueNanos = now;
                files.add(file);
            } catch (IOException e) {
                throw new UncheckedIOException("replay source: cannot read " + split.path() + ": " + e.getMessage(), e);
            }
        }
    }

    private long shiftOf(ReplayFileSplit split) throws IOException {
        if (split.shiftMs() != null) {
            return split.shiftMs();
        }
        if (!shiftToNow) {
            return 0L;
        }
        Long last = lastTimestamp(Path.of(split.path()));
        if (last == null) {
            return 0L;
        }
        long shift = System.currentTimeMillis() - last;
        LOG.info("replay of {}: timestamps shifted by {} ms so that the last one ({}) lands at now", split.path(),
                shift, CsvTimestamps.format(last));
        return shift;
    }

    /** The last parseable timestamp of the file, or null if it has none. */
    static Long lastTimestamp(Path path) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            ReplayColumns columns = ReplayColumns.fromHeader(in.readLine(), path);
            Long last = null;
            long lineNo = 1;
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (!line.isBlank()) {
                    ReplayLine parsed = columns.parse(line, path, lineNo);
                    if (!parsed.isMalformed()) {
                        last = parsed.timestampMs();
                    }
                }
            }
            return last;
        }
    }

    @Override
    public void wakeUp() {
        synchronized (wakeLock) {
            wokenUp = true;
            wakeLock.notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        List<IOException> failures = new ArrayList<>();
        for (OpenFile file : files) {
            try {
                file.close();
            } catch (IOException e) {
                failures.add(e);
            }
        }
        files.clear();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** A file being read: its reader positioned after the consumed lines. */
    private static final class OpenFile {
        final ReplayFileSplit split;
        final long shiftMs;
        final String seriesId;
        final Map<String, String> labels;
        final BufferedReader in;
        final ReplayColumns columns;
        long linesConsumed;
        long nextDueNanos;

        OpenFile(ReplayFileSplit split, long shiftMs) throws IOException {
            this.split = split;
            this.shiftMs = shiftMs;
            this.labels = split.labels();
            this.seriesId = SeriesIds.of(split.feature(), labels);
            Path path = Path.of(split.path());
            BufferedReader reader;
            try {
                reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(split.path(), null, "file to replay does not exist");
            }
            this.in = reader;
            try {
                this.columns = ReplayColumns.fromHeader(in.readLine(), path);
                for (long i = 0; i < split.linesConsumed(); i++) {
                    if (in.readLine() == null) {
                        throw new IOException(path + " has fewer lines (" + i + " after the header) than the "
                                + split.linesConsumed() + " already replayed: was it changed?");
                    }
                }
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
            this.linesConsumed = split.linesConsumed();
        }

        /**
         * Adds up to {@code max} records (one per non-blank line) to the batch.
         *
         * @return false if the end of the file was reached
         */
        boolean readInto(RecordsBySplits.Builder<ReplayRecord> batch, int max) throws IOException {
            int added = 0;
            while (added < max) {
                String line = in.readLine();
                if (line == null) {
                    return false;
                }
                linesConsumed++;
                if (line.isBlank()) {
                    continue;
                }
                long lineNo = linesConsumed + 1;
                ReplayLine parsed = columns.parse(line, split.path(), lineNo);
                ReplayRecord record;
                if (parsed.isMalformed()) {
                    record = new ReplayRecord(null, parsed.reason(), parsed.detail(), linesConsumed, shiftMs);
                } else {
                    Sample sample = new Sample(seriesId, split.feature(), split.feature(), labels,
                            parsed.timestampMs() + shiftMs, parsed.value());
                    record = new ReplayRecord(sample, null, null, linesConsumed, shiftMs);
                }
                batch.add(split.splitId(), record);
                added++;
            }
            return true;
        }

        void close() throws IOException {
            in.close();
        }
    }
}
