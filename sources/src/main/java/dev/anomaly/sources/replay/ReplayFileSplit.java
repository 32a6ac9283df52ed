package dev.anomaly.sources.replay;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One replayed CSV file and how far it has been read: the number of lines after the header already consumed
 * (emitted as samples, skipped as malformed, or blank), so a reader restored from a checkpoint continues with the
 * next line, and the timestamp shift fixed when the file was first opened.
 *
 * @param index the file's position in the source's file list; it decides which subtask reads it
 * @param path the file
 * @param feature the feature (and metric) name of its samples
 * @param labels the labels of its samples
 * @param linesConsumed lines after the header already consumed
 * @param shiftMs milliseconds added to every timestamp, or null while not yet decided (see
 *     {@link ReplaySourceBuilder#shiftToNow(boolean)})
 */
public record ReplayFileSplit(int index, String path, String feature, SortedMap<String, String> labels,
                              long linesConsumed, Long shiftMs) implements SourceSplit, Serializable {

    private static final long serialVersionUID = 1L;

    public ReplayFileSplit {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(feature, "feature");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        if (linesConsumed < 0) {
            throw new IllegalArgumentException("linesConsumed must be >= 0, got " + linesConsumed);
        }
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels == null ? Map.of() : labels));
    }

    /** A split of a file nothing of which has been read yet. */
    public static ReplayFileSplit unread(int index, Path path, String feature, Map<String, String> labels) {
        return new ReplayFileSplit(index, path.toString(), feature, new TreeMap<>(labels), 0L, null);
    }

    @Override
    public String splitId() {
        return index + ":" + path;
    }

    /** This split after {@code lines} lines and with the given shift. */
    public ReplayFileSplit withProgress(long lines, Long shift) {
        return new ReplayFileSplit(index, path, feature, labels, lines, shift);
    }
}
