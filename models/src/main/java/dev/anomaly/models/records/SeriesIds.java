package dev.anomaly.models.records;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The canonical series identity: {@code feature{a="1",b="2"}} with labels sorted by name and values escaped. */
public final class SeriesIds {

    private SeriesIds() {
    }

    /** The id of the series of {@code feature} with {@code labels} ({@code __name__} ignored). */
    public static String of(String feature, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(feature.length() + 16 * labels.size()).append(feature).append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : sortedCopy(labels).entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(e.getKey()).append("=\"");
            escape(e.getValue(), b);
            b.append('"');
        }
        return b.append('}').toString();
    }

    /** An unmodifiable copy sorted by label name, without {@code __name__}. */
    static SortedMap<String, String> sortedCopy(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return Collections.emptySortedMap();
        }
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!"__name__".equals(e.getKey())) {
                copy.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
            }
        }
        return Collections.unmodifiableSortedMap(copy);
    }

    /** Prometheus text-format label value escaping: backslash, double quote and newline. */
    static void escape(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
