package dev.anomaly.models.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;

/**
 * NAB's anomaly windows per data file, read from a windows JSON ({@code labels/combined_windows.json} upstream, or
 * the {@code "windows"} member of the shared {@code labels.json}).
 *
 * <p>Keys are file paths relative to the data directory ({@code realKnownCause/nyc_taxi.csv}); timestamps use NAB's
 * {@code yyyy-MM-dd HH:mm:ss} with optional fractional seconds ({@code .000000}).
 */
public final class NabLabels {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();

    private final TreeMap<String, List<NabWindow>> windowsByFile;

    private NabLabels(TreeMap<String, List<NabWindow>> windowsByFile) {
        this.windowsByFile = windowsByFile;
    }

    /** Reads the windows JSON at {@code path}; see {@link #read(InputStream)} for the accepted layouts. */
    public static NabLabels load(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in);
        }
    }

    /**
     * Reads a windows JSON: either an object mapping each file to a list of {@code [start, end]} pairs, or an object
     * whose {@code "windows"} member is such a map (the shared {@code labels.json}).
     */
    public static NabLabels read(InputStream json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object of file -> windows");
        }
        JsonNode windows = root.has("windows") ? root.get("windows") : root;
        if (!windows.isObject()) {
            throw new IllegalArgumentException("expected \"windows\" to be a JSON object of file -> windows");
        }
        TreeMap<String, List<NabWindow>> byFile = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> files = windows.fields();
        while (files.hasNext()) {
            Map.Entry<String, JsonNode> file = files.next();
            byFile.put(file.getKey(), parseWindows(file.getKey(), file.getValue()));
        }
        return new NabLabels(byFile);
    }

    /** Parses one NAB timestamp, {@code yyyy-MM-dd HH:mm:ss} optionally followed by {@code .} and 1-9 digits. */
    public static LocalDateTime parseTimestamp(String text) {
        try {
            return LocalDateTime.parse(text.trim(), TIMESTAMP);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "expected a NAB timestamp 'yyyy-MM-dd HH:mm:ss[.ffffff]', got '" + text + "'", e);
        }
    }

    /** The labelled files in lexicographic order. */
    public NavigableSet<String> files() {
        return Collections.unmodifiableNavigableSet(windowsByFile.navigableKeySet());
    }

    /** The windows of {@code file} in label order; an empty list for a labelled file without anomalies. */
    public List<NabWindow> windows(String file) {
        List<NabWindow> windows = windowsByFile.get(file);
        if (windows == null) {
            throw new IllegalArgumentException("no labels for file '" + file + "'; expected one of " + files());
        }
        return windows;
    }

    /** Total number of windows over all files. */
    public int windowCount() {
        return windowsByFile.values().stream().mapToInt(List::size).sum();
    }

    private static List<NabWindow> parseWindows(String file, JsonNode node) {
        if (!node.isArray()) {
            throw new IllegalArgumentException("windows of '" + file + "' must be a JSON array, got " + node);
        }
        List<NabWindow> windows = new ArrayList<>(node.size());
        for (JsonNode pair : node) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                throw new IllegalArgumentException(
                        "each window of '" + file + "' must be [start, end] timestamp strings, got " + pair);
            }
            windows.add(new NabWindow(parseTimestamp(pair.get(0).asText()), parseTimestamp(pair.get(1).asText())));
        }
        return List.copyOf(windows);
    }
}
