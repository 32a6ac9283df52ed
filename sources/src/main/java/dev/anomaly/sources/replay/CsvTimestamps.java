package dev.anomaly.sources.replay;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Timestamp fields of replayed CSV files as epoch milliseconds: NAB's {@code 2014-04-01 00:00:00} (UTC, also with a
 * {@code T} and fractional seconds), ISO-8601 with an offset or {@code Z}, and epoch seconds or milliseconds.
 */
public final class CsvTimestamps {

    /**
     * Integers of at least this magnitude are epoch milliseconds, smaller ones epoch seconds: 1e11 seconds is the year
     * 5138, 1e11 milliseconds is March 1973.
     */
    static final long EPOCH_MILLIS_THRESHOLD = 100_000_000_000L;

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private CsvTimestamps() {
    }

    /**
     * The field (already unquoted) as epoch milliseconds.
     *
     * @throws IllegalArgumentException naming the text if it is none of the accepted forms
     */
    public static long parseMillis(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty timestamp");
        }
        char c = s.charAt(0);
        if (Character.isDigit(c) && s.length() > 4 && s.charAt(4) == '-') {
            return parseDateTime(s);
        }
        if (Character.isDigit(c) || c == '-' || c == '+') {
            return parseEpoch(s);
        }
        throw new IllegalArgumentException("timestamp '" + s + "' is neither a date-time nor epoch seconds/milliseconds");
    }

    private static long parseDateTime(String s) {
        boolean hasOffset = s.endsWith("Z") || s.endsWith("z") || hasNumericOffset(s);
        try {
            if (hasOffset) {
                String iso = s.indexOf('T') < 0 ? s.replaceFirst(" ", "T") : s;
                return OffsetDateTime.parse(iso.toUpperCase(java.util.Locale.ROOT)).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(s, LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timestamp '" + s + "' is not a date-time like 2014-04-01 00:00:00 or "
                    + "2014-04-01T00:00:00+02:00");
        }
    }

    /** An offset like +02:00, -0500 or +02 after the time of day (the date's own dashes come before the T/space). */
    private static boolean hasNumericOffset(String s) {
        int timeStart = Math.max(s.indexOf('T'), s.indexOf(' '));
        if (timeStart < 0) {
            return false;
        }
        String time = s.substring(timeStart + 1);
        return time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
    }

    private static long parseEpoch(String s) {
        try {
            if (s.indexOf('.') >= 0 || s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
                double seconds = Double.parseDouble(s);
                if (!Double.isFinite(seconds) || Math.abs(seconds) >= EPOCH_MILLIS_THRESHOLD) {
                    throw new IllegalArgumentException("timestamp '" + s + "' is out of range for epoch seconds");
                }
                return Math.round(seconds * 1000.0);
            }
            long n = Long.parseLong(s);
            return Math.abs(n) >= EPOCH_MILLIS_THRESHOLD ? n : Math.multiplyExact(n, 1000L);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timestamp '" + s + "' is not epoch seconds or milliseconds");
        }
    }

    /** Epoch milliseconds as ISO-8601 UTC, for messages. */
    static String format(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
