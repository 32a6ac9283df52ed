package dev.anomaly.sources.victoriametrics;

import dev.anomaly.models.records.Sample;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The fetcher thread's work: for each split, every fetch interval, read {@code (fetchedEnd, now - lag]} on the
 * step grid with {@code query_range}, at most {@code maxPointsPerRequest} points per series and about
 * {@code maxSamplesPerRequest} in all per request (a long backfill becomes several requests, issued back to back),
 * and hand the samples over as {@link SampleGroup}s.
 * <p>
 * Each query is validated with an instant query when its split arrives: a 4xx answer (bad query, bad
 * credentials) or an untrusted TLS certificate fails the job at once and without restarts
 * ({@link SuppressRestartsException}), with VictoriaMetrics' error text. Unavailability (connection refused, timeouts,
 * 5xx, a partial cluster answer) is retried forever with exponential backoff and full jitter; the range simply grows
 * meanwhile, so the first success backfills it. A refusal after validation (a rotated secret, a renewed certificate,
 * a server limit) is retried the same way, with the credentials and trust read again for each attempt.
 */
final class QueryRangeSplitReader implements SplitReader<SampleGroup, QuerySplit> {

    private static final Logger LOG = LoggerFactory.getLogger(QueryRangeSplitReader.class);

    /** One split's fetch progress; {@code fetchedEndMs} runs ahead of the emitted progress in the split state. */
    private static final class Cursor {
        final String feature;
        final String query;
        final VictoriaMetricsSourceMetrics.FeatureMetrics metrics;
        long fetchedEndMs;
        long nextAttemptAtMs;
        int failures;
        boolean validated;
        boolean ambiguityLogged;
        /** The query's series, as its last answer (or the validating query) had them: sizes the next request. */
        int series = 1;

        Cursor(QuerySplit split, VictoriaMetricsSourceMetrics.FeatureMetrics metrics) {
            this.feature = split.feature();
            this.query = split.query();
            this.metrics = metrics;
            this.fetchedEndMs = split.lastEndMs();
        }
    }

    private final VictoriaMetricsSourceConfig config;
    private final VictoriaMetricsSourceMetrics metrics;
    private final LongSupplier clock;
    private final RetryBackoff backoff;
    private final Map<String, Cursor> cursors = new LinkedHashMap<>();
    private final List<String> finishedOnArrival = new ArrayList<>();
    private final Object sleepLock = new Object();
    private boolean wokenUp;
    private VictoriaMetricsClient client;
    private int roundRobin;

    QueryRangeSplitReader(VictoriaMetricsSourceConfig config, VictoriaMetricsSourceMetrics metrics, LongSupplier clock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.backoff = new RetryBackoff(config.retryBaseMs(), config.retryMaxMs(), new Random());
    }

    @Override
    public void handleSplitsChanges(SplitsChange<QuerySplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("unsupported split change " + change.getClass().getName());
        }
        for (QuerySplit split : change.splits()) {
            String query = config.queries().get(split.feature());
            if (query == null) {
                LOG.warn("VictoriaMetrics source: feature '{}' from the restored state is no longer configured: "
                        + "its split ends here", split.feature());
                finishedOnArrival.add(split.splitId());
                continue;
            }
            if (!query.equals(split.query())) {
                LOG.info("VictoriaMetrics source: feature '{}' now uses query {} (state had {})", split.feature(),
                        query, split.query());
            }
            QuerySplit current = new QuerySplit(split.feature(), query, split.lastEndMs());
            Cursor c = new Cursor(current, metrics.feature(split.feature()));
            c.metrics.fetchedUntilMs = c.fetchedEndMs;
            cursors.put(split.splitId(), c);
            LOG.info("VictoriaMetrics source: reading feature '{}' after {} ({})", split.feature(), split.lastEndMs(),
                    query);
        }
    }

    @Override
    public RecordsWithSplitIds<SampleGroup> fetch() {
        RecordsBySplits.Builder<SampleGroup> out = new RecordsBySplits.Builder<>();
        if (!finishedOnArrival.isEmpty()) {
            out.addFinishedSplits(finishedOnArrival);
            finishedOnArrival.clear();
            return out.build();
        }
        long now = clock.getAsLong();
        Cursor due = null;
        long wakeAt = Long.MAX_VALUE;
        List<Cursor> all = new ArrayList<>(cursors.values());
        for (int i = 0; i < all.size(); i++) {
            Cursor c = all.get((roundRobin + i) % all.size());
            long readyAt = readyAt(c);
            if (readyAt <= now) {
                due = c;
                roundRobin = (roundRobin + i + 1) % all.size();
                break;
            }
            wakeAt = Math.min(wakeAt, readyAt);
        }
        if (due == null) {
            sleepUntil(wakeAt);
            return out.build();
        }
        try {
            fetchOnce(due, now, out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.build();
    }

    /** When {@code c} next has work: a new grid point older than now - lag, and no backoff pending. */
    private long readyAt(Cursor c) {
        if (!c.validated) {
            return c.nextAttemptAtMs;
        }
        long firstNew = StepGrid.firstAfter(c.fetchedEndMs, config.stepMs());
        long dataReadyAt = firstNew > config.untilMs() ? 0 : firstNew + config.lagMs();
        return Math.max(c.nextAttemptAtMs, dataReadyAt);
    }

    private void fetchOnce(Cursor c, long now, RecordsBySplits.Builder<SampleGroup> out) throws InterruptedException {
        long step = config.stepMs();
        long until = StepGrid.lastAtOrBefore(config.untilMs(), step);
        long target = Math.min(StepGrid.lastAtOrBefore(now - config.lagMs(), step), until);
        try {
            VictoriaMetricsClient vm = client();
            if (!c.validated) {
                c.series = Math.max(1, vm.validate(c.feature, c.query, Math.min(now - config.lagMs(),
                        config.untilMs())));
                c.validated = true;
                c.failures = 0;
                c.nextAttemptAtMs = 0;
            }
            if (c.fetchedEndMs < target) {
                long start = StepGrid.firstAfter(c.fetchedEndMs, step);
                long maxSpan = (config.pointsPerSeries(c.series) - 1L) * step;
                long chunkEnd = Math.min(target, start + maxSpan);
                ParsedRange range = vm.queryRange(c.feature, c.query, start, chunkEnd, step);
                c.metrics.requests.inc();
                c.series = Math.max(1, range.series());
                c.metrics.malformed(range.malformedValues());
                if (range.ambiguity() != null) {
                    c.metrics.ambiguousValues.inc(range.ambiguousValues());
                    if (!c.ambiguityLogged) {
                        c.ambiguityLogged = true;
                        LOG.warn("VictoriaMetrics source: the query of feature '{}' returns {}: only the first is "
                                + "read, the other's values are counted in vm_ambiguous_values", c.feature,
                                range.ambiguity());
                    }
                }
                addGroups(c, range.samples(), chunkEnd, out);
                c.fetchedEndMs = chunkEnd;
                c.metrics.fetchedUntilMs = chunkEnd;
                if (c.failures > 0) {
                    LOG.info("VictoriaMetrics source: feature '{}' reads again after {} failed attempts", c.feature,
                            c.failures);
                }
                c.failures = 0;
                // more backfill chunks follow at once; when caught up, wait for the next fetch interval
                c.nextAttemptAtMs = chunkEnd < target ? 0 : now + config.fetchIntervalMs();
            }
            if (c.fetchedEndMs >= until) {
                out.addFinishedSplit(c.feature);
                cursors.remove(c.feature);
                LOG.info("VictoriaMetrics source: feature '{}' read up to {}: split finished", c.feature, until);
            }
        } catch (VictoriaMetricsUnavailableException e) {
            c.failures++;
            c.metrics.retries.inc();
            long delay = backoff.delayMs(c.failures);
            c.nextAttemptAtMs = clock.getAsLong() + delay;
            if (c.failures == 1 || c.failures % 10 == 0) {
                LOG.warn("VictoriaMetrics source: attempt {} failed, retrying in {} ms: {}", c.failures, delay,
                        e.getMessage());
            }
        } catch (VictoriaMetricsQueryException | VictoriaMetricsTlsException e) {
            if (!c.validated) {
                throw new SuppressRestartsException(e);
            }
            // The query and credentials worked when the split arrived, so a refusal now is a change on the other
            // side: a rotated token or password, a renewed certificate, a server limit tripped for a while (VM
            // answers 422 when a query touches too many series). Failing the job for good would need an operator;
            // instead the range is retried with backoff, each time with a new client that reads the credentials
            // and the trusted CA again.
            client = null;
            c.failures++;
            c.metrics.retries.inc();
            long delay = backoff.delayMs(c.failures);
            c.nextAttemptAtMs = clock.getAsLong() + delay;
            if (c.failures == 1 || c.failures % 10 == 0) {
                LOG.error("VictoriaMetrics source: feature '{}' was refused after it had been read (attempt {}), "
                        + "retrying in {} ms with credentials and trust read again: {}", c.feature, c.failures, delay,
                        e.getMessage());
            }
        }
    }

    /**
     * Splits the samples of {@code (c.fetchedEndMs, chunkEnd]} into one group per timestamp; the last group (or a
     * single empty one) ends at {@code chunkEnd}, since nothing lies between its timestamp and {@code chunkEnd}.
     */
    private static void addGroups(Cursor c, List<Sample> samples, long chunkEnd,
                                  RecordsBySplits.Builder<SampleGroup> out) {
        List<List<Sample>> groups = new ArrayList<>();
        long currentTs = Long.MIN_VALUE;
        for (Sample s : samples) {
            long ts = s.timestampMs();
            if (ts <= c.fetchedEndMs || ts > chunkEnd) {
                continue; // outside the range asked for: never emitted twice, never ahead of the progress
            }
            if (ts != currentTs) {
                groups.add(new ArrayList<>());
                currentTs = ts;
            }
            groups.get(groups.size() - 1).add(s);
        }
        if (groups.isEmpty()) {
            out.add(c.feature, new SampleGroup(chunkEnd, List.of()));
            return;
        }
        for (int i = 0; i < groups.size(); i++) {
            List<Sample> g = groups.get(i);
            long upTo = i == groups.size() - 1 ? chunkEnd : g.get(0).timestampMs();
            out.add(c.feature, new SampleGroup(upTo, g));
        }
    }

    private VictoriaMetricsClient client() {
        if (client == null) {
            try {
                client = new VictoriaMetricsClient(config);
            } catch (RuntimeException e) {
                throw new SuppressRestartsException(new IllegalStateException(
                        "VictoriaMetrics source: bad connection settings: " + e.getMessage(), e));
            }
        }
        return client;
    }

    private void sleepUntil(long wakeAtMs) {
        synchronized (sleepLock) {
            try {
                while (!wokenUp) {
                    long wait = wakeAtMs == Long.MAX_VALUE ? 1000 : wakeAtMs - clock.getAsLong();
                    if (wait <= 0) {
                        break;
                    }
                    sleepLock.wait(Math.min(wait, 1000));
                    if (wakeAtMs == Long.MAX_VALUE) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            wokenUp = false;
        }
    }

    @Override
    public void wakeUp() {
        synchronized (sleepLock) {
            wokenUp = true;
            sleepLock.notifyAll();
        }
    }

    @Override
    public void close() {
        cursors.clear();
    }
}
