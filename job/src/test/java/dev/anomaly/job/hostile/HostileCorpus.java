package dev.anomaly.job.hostile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A deterministic (seeded) corpus of hostile Kafka records in the JSON sample format, with valid records interleaved.
 * Every malformed record carries the dead-letter reason it must get, decided here from how it was made (never by
 * running the decoder), so a test compares the job against an independent expectation.
 *
 * <p>The valid part: {@value #STEPS} time steps {@value #STEP_MS} ms apart ending a few minutes before now, each with
 * one {@code node_load1} sample for each of {@link #SERIES} (the last series has a NaN every 4th step: NaN is a
 * missing value, not an error), {@value #UNMAPPED} samples of a metric no feature maps, and {@value #DUPLICATES}
 * exact repeats of valid records right after their original (valid records: the detector drops them as duplicates).
 *
 * <p>Semantics decided for the categories (see {@code RecordLimits} and docs/HOSTILE-INPUT.md): timestamps older
 * than 7 days or more than 10 minutes ahead of now → {@code timestamp_out_of_range}; more than 64 labels →
 * {@code too_many_labels}; a name or value over 1,024 characters → {@code label_too_long}; over 1 MiB →
 * {@code record_too_large}; ±Inf → {@code non_finite_value}; |value| &gt; 1e100 → {@code value_out_of_range}.
 */
public final class HostileCorpus {
    public static final int STEPS = 100;
    public static final long STEP_MS = 5_000;
    public static final List<String> SERIES = List.of("h1", "h2", "h3", "nan");
    public static final int UNMAPPED = 100;
    public static final int DUPLICATES = 100;
    /** The metric the job's one feature ({@code load}, a gauge) maps. */
    public static final String METRIC = "node_load1";

    /**
     * One record to produce.
     *
     * @param category what kind of record it is (for messages)
     * @param reason the expected dead-letter reason; null for a valid record
     * @param value the record value (null: a tombstone)
     * @param series the series id a valid mapped record feeds, else null
     * @param timestampMs the sample time of a valid record
     */
    public record Entry(String category, String reason, byte[] value, String series, long timestampMs) {
        public boolean malformed() {
            return reason != null;
        }
    }

    private final Random rnd;
    private final long now;
    private final long t0;

    private HostileCorpus(long seed, long nowMs) {
        this.rnd = new Random(seed);
        this.now = nowMs;
        this.t0 = (nowMs - Duration.ofMinutes(15).toMillis()) / STEP_MS * STEP_MS;
    }

    /** The corpus for {@code seed}, with timestamps relative to {@code nowMs} (the job must run near that time). */
    public static List<Entry> generate(long seed, long nowMs) {
        return new HostileCorpus(seed, nowMs).build();
    }

    /** The time of valid step {@code i}. */
    public static long stepTime(long nowMs, int i) {
        return (nowMs - Duration.ofMinutes(15).toMillis()) / STEP_MS * STEP_MS + i * STEP_MS;
    }

    /** Expected dead letters per reason. */
    public static Map<String, Integer> reasons(List<Entry> corpus) {
        Map<String, Integer> m = new TreeMap<>();
        corpus.stream().filter(Entry::malformed).forEach(e -> m.merge(e.reason(), 1, Integer::sum));
        return m;
    }

    private List<Entry> build() {
        List<Entry> bad = new ArrayList<>();
        add(bad, 1_500, "random bytes", "invalid_json", this::randomBytes);
        add(bad, 1_500, "truncated JSON", "invalid_json", this::truncated);
        add(bad, 700, "not JSON syntax", "invalid_json", this::badSyntax);
        add(bad, 600, "infinite value", "non_finite_value", this::infinite);
        add(bad, 600, "huge value", "value_out_of_range", this::huge);
        add(bad, 1_200, "wrong type", "wrong_type", this::wrongType);
        add(bad, 900, "missing field", "missing_field", this::missingField);
        add(bad, 600, "bad value", "bad_value", this::badValue);
        add(bad, 900, "bad timestamp", "bad_timestamp", this::badTimestamp);
        add(bad, 600, "bad name", "bad_name", this::badName);
        add(bad, 500, "far-future timestamp", "timestamp_out_of_range", this::farFuture);
        add(bad, 500, "far-past timestamp", "timestamp_out_of_range", this::farPast);
        add(bad, 300, "label-set explosion", "too_many_labels", this::manyLabels);
        add(bad, 300, "giant label", "label_too_long", this::longLabel);
        add(bad, 6, "giant message", "record_too_large", this::giant);
        for (int i = 0; i < 200; i++) {
            byte[] v = switch (i % 3) {
                case 0 -> null;
                case 1 -> new byte[0];
                default -> " \n\t\r ".substring(0, 1 + rnd.nextInt(4)).getBytes(StandardCharsets.UTF_8);
            };
            bad.add(new Entry("empty", "empty_record", v, null, 0));
        }
        Collections.shuffle(bad, rnd);

        List<Entry> good = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
            long ts = t0 + i * STEP_MS;
            for (String s : SERIES) {
                String value = s.equals("nan") && i % 4 == 1 ? "\"NaN\"" : fmt(1.0 + 0.5 * Math.sin(i / 5.0)
                        + 0.01 * rnd.nextGaussian());
                good.add(new Entry("valid", null, json(ts, value, METRIC, "\"instance\":\"" + s + "\""),
                        "load{instance=\"" + s + "\"}", ts));
            }
            if (i < UNMAPPED) {
                good.add(new Entry("unmapped", null, json(ts, "1", "node_memory_MemFree_bytes", ""), null, ts));
            }
        }
        // Interleave: the valid ones in their order, the malformed ones spread among them; duplicates follow their
        // original at once (so the detector sees them as repeats of its newest time, not as late samples).
        List<Entry> out = new ArrayList<>();
        int g = 0;
        int b = 0;
        int dups = 0;
        while (g < good.size() || b < bad.size()) {
            boolean takeBad = g == good.size() || (b < bad.size()
                    && rnd.nextInt(good.size() - g + bad.size() - b) < bad.size() - b);
            if (takeBad) {
                out.add(bad.get(b++));
            } else {
                Entry e = good.get(g++);
                out.add(e);
                if (e.series() != null && dups < DUPLICATES && g % 4 == 0) {
                    out.add(new Entry("duplicate", null, e.value().clone(), e.series(), e.timestampMs()));
                    dups++;
                }
            }
        }
        if (dups != DUPLICATES) {
            throw new IllegalStateException("corpus made " + dups + " duplicates");
        }
        return out;
    }

    private interface Maker {
        byte[] make();
    }

    private static void add(List<Entry> to, int n, String category, String reason, Maker maker) {
        for (int i = 0; i < n; i++) {
            to.add(new Entry(category, reason, maker.make(), null, 0));
        }
    }

    // ---- valid pieces ------------------------------------------------------------------------------------------

    /** A time inside the accepted window and not on the valid grid's series (these records are all rejected). */
    private long okTime() {
        return now - rnd.nextInt(600_000);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    private static byte[] json(long ts, String value, String name, String labels) {
        return ("{\"timestamp\":" + ts + ",\"value\":" + value + ",\"name\":\"" + name + "\",\"labels\":{" + labels
                + "}}").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] validLooking() {
        return json(okTime(), fmt(rnd.nextDouble() * 100), METRIC, "\"instance\":\"x" + rnd.nextInt(1000)
                + "\",\"job\":\"node\"");
    }

    private <T> T pick(List<T> from) {
        return from.get(rnd.nextInt(from.size()));
    }

    // ---- makers, one per category ------------------------------------------------------------------------------

    private byte[] randomBytes() {
        byte[] b = new byte[1 + rnd.nextInt(300)];
        rnd.nextBytes(b);
        // A first byte that cannot start a JSON document in any encoding Jackson detects (no BOM, not whitespace,
        // not ASCII): every such record must be invalid_json.
        b[0] = (byte) (0x80 + rnd.nextInt(0xEF - 0x80));
        return b;
    }

    private byte[] truncated() {
        byte[] full = validLooking();
        return java.util.Arrays.copyOf(full, 1 + rnd.nextInt(full.length - 1));
    }

    private byte[] badSyntax() {
        long ts = okTime();
        String s = switch (rnd.nextInt(7)) {
            case 0 -> "{\"timestamp\":" + ts + ",\"value\":1,\"value\":2,\"name\":\"node_load1\"}";
            case 1 -> "{\"timestamp\":" + ts + ",\"value\":1,\"name\":\"node_load1\"} trailing";
            case 2 -> "{timestamp:" + ts + ",value:1,name:\"node_load1\"}";
            case 3 -> "{'timestamp':" + ts + ",'value':1,'name':'node_load1'}";
            case 4 -> "{\"timestamp\":" + ts + ",/* comment */\"value\":1,\"name\":\"node_load1\"}";
            case 5 -> "{\"timestamp\":" + ts + ",\"value\":1,\"name\":\"node_load1\"}{\"timestamp\":" + ts + "}";
            default -> null;
        };
        if (s != null) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        // Invalid UTF-8 inside a string value.
        byte[] head = ("{\"timestamp\":" + ts + ",\"value\":1,\"name\":\"node_load1\",\"labels\":{\"a\":\"")
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(head, head.length + 5);
        out[head.length] = (byte) 0xff;
        out[head.length + 1] = (byte) 0xfe;
        out[head.length + 2] = '"';
        out[head.length + 3] = '}';
        out[head.length + 4] = '}';
        return out;
    }

    private byte[] infinite() {
        String v = pick(List.of("\"+Inf\"", "\"-Inf\"", "\"Inf\"", "\"+Infinity\"", "1e309", "-1e999"));
        return json(okTime(), v, METRIC, "\"instance\":\"x\"");
    }

    private byte[] huge() {
        String v = pick(List.of("1e308", "-1e308", "\"1.5e200\"", "1e101", "-1.7976931348623157e308"));
        return json(okTime(), v, METRIC, "\"instance\":\"x\"");
    }

    private byte[] wrongType() {
        long ts = okTime();
        String s = switch (rnd.nextInt(11)) {
            case 0 -> "{\"timestamp\":" + ts + ",\"value\":true,\"name\":\"node_load1\"}";
            case 1 -> "{\"timestamp\":" + ts + ",\"value\":[1],\"name\":\"node_load1\"}";
            case 2 -> "{\"timestamp\":" + ts + ",\"value\":{\"v\":1},\"name\":\"node_load1\"}";
            case 3 -> "{\"timestamp\":" + ts + ",\"value\":1,\"name\":\"node_load1\",\"labels\":[\"a\"]}";
            case 4 -> "{\"timestamp\":" + ts + ",\"value\":1,\"name\":\"node_load1\",\"labels\":{\"a\":1}}";
            case 5 -> "{\"timestamp\":" + ts + ",\"value\":1,\"name\":42}";
            case 6 -> "{\"timestamp\":{\"ms\":" + ts + "},\"value\":1,\"name\":\"node_load1\"}";
            case 7 -> "{\"timestamp\":false,\"value\":1,\"name\":\"node_load1\"}";
            case 8 -> "[{\"timestamp\":" + ts + ",\"value\":1,\"name\":\"node_load1\"}]";
            case 9 -> Integer.toString(rnd.nextInt());
            default -> "\"just a string\"";
        };
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] missingField() {
        long ts = okTime();
        String s = switch (rnd.nextInt(5)) {
            case 0 -> "{\"timestamp\":" + ts + ",\"name\":\"node_load1\"}";
            case 1 -> "{\"timestamp\":" + ts + ",\"value\":null,\"name\":\"node_load1\"}";
            case 2 -> "{\"value\":1,\"name\":\"node_load1\"}";
            case 3 -> "{\"timestamp\":null,\"value\":1,\"name\":\"node_load1\"}";
            default -> "{\"timestamp\":" + ts + ",\"value\":1,\"labels\":{\"instance\":\"x\"}}";
        };
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] badValue() {
        String v = pick(List.of("\"abc\"", "\"\"", "\"1,5\"", "\"1.2.3\"", "\"--1\"", "\"one\"", "\" \""));
        return json(okTime(), v, METRIC, "");
    }

    private byte[] badTimestamp() {
        String ts = pick(List.of("\"yesterday\"", "-5", "1.5", "\"2024-05-01T12:00:00\"", "\"99999999999999999999\"",
                "-9223372036854775808", "\"2024-13-45T99:00:00Z\"", "\"\"", "1e30"));
        return ("{\"timestamp\":" + ts + ",\"value\":1,\"name\":\"node_load1\"}").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] badName() {
        String s = switch (rnd.nextInt(5)) {
            case 0 -> new String(json(okTime(), "1", "node-load", ""), StandardCharsets.UTF_8);
            case 1 -> new String(json(okTime(), "1", "1node", ""), StandardCharsets.UTF_8);
            case 2 -> new String(json(okTime(), "1", "", ""), StandardCharsets.UTF_8);
            case 3 -> new String(json(okTime(), "1", METRIC, "\"a-b\":\"c\""), StandardCharsets.UTF_8);
            default -> new String(json(okTime(), "1", METRIC, "\"1x\":\"c\""), StandardCharsets.UTF_8);
        };
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] farFuture() {
        String ts = switch (rnd.nextInt(4)) {
            case 0 -> Long.toString(now + Duration.ofHours(1).toMillis()
                    + (long) (rnd.nextDouble() * Duration.ofDays(365L * 100).toMillis()));
            case 1 -> Long.toString(Long.MAX_VALUE - rnd.nextInt(1000));
            case 2 -> "\"9999-12-31T23:59:59Z\"";
            default -> "\"" + (now + Duration.ofDays(1 + rnd.nextInt(1000)).toMillis()) + "\"";
        };
        return ("{\"timestamp\":" + ts + ",\"value\":1,\"name\":\"node_load1\"}").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] farPast() {
        String ts = switch (rnd.nextInt(4)) {
            case 0 -> Long.toString(rnd.nextInt(1000));
            case 1 -> Long.toString(now - Duration.ofDays(8).toMillis()
                    - (long) (rnd.nextDouble() * Duration.ofDays(365L * 50).toMillis()));
            case 2 -> "\"1970-01-01T00:00:00Z\"";
            default -> "\"2000-01-01T00:00:00+05:00\"";
        };
        return ("{\"timestamp\":" + ts + ",\"value\":1,\"name\":\"node_load1\"}").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] manyLabels() {
        int n = 65 + rnd.nextInt(400);
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < n; i++) {
            l.append(i == 0 ? "" : ",").append("\"label_").append(i).append("\":\"v").append(rnd.nextInt(100))
                    .append('"');
        }
        return json(okTime(), "1", METRIC, l.toString());
    }

    private byte[] longLabel() {
        String big = "x".repeat(1_025 + rnd.nextInt(8_000));
        return switch (rnd.nextInt(3)) {
            case 0 -> json(okTime(), "1", METRIC, "\"instance\":\"" + big + "\"");
            case 1 -> json(okTime(), "1", METRIC, "\"l" + big + "\":\"v\"");
            default -> json(okTime(), "1", "node_load1_" + big, "");
        };
    }

    private byte[] giant() {
        int size = (1 << 20) + 1 + rnd.nextInt(1 << 20);
        byte[] head = ("{\"timestamp\":" + okTime() + ",\"value\":1,\"name\":\"node_load1\",\"labels\":{\"pad\":\"")
                .getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) 'p');
        System.arraycopy(head, 0, b, 0, head.length);
        b[size - 3] = '"';
        b[size - 2] = '}';
        b[size - 1] = '}';
        return b;
    }
}
