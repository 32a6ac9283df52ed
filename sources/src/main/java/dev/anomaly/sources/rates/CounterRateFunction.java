package dev.anomaly.sources.rates;

import dev.anomaly.models.records.Sample;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns the samples of counter features into per-second rates; samples of other features pass unchanged. Keyed by
 * {@link Sample#seriesId()}; the last reading of each counter series is keyed state, so rates carry on across
 * checkpoints and restarts.
 *
 * <p>For a counter sample (t, v) after the series' last reading (t0, v0):
 * <ul>
 *   <li>first reading of the series: remembered, nothing emitted;</li>
 *   <li>t ≤ t0 (duplicate or out of order): dropped, counted ({@code out_of_order}), the state keeps (t0, v0);</li>
 *   <li>v &lt; v0: a counter reset (restarted exporter): remembered, nothing emitted for this interval, counted
 *       ({@code resets}) — the increase across a reset is unknown, so one interval is skipped rather than guessed;</li>
 *   <li>otherwise: emits (v − v0) / ((t − t0) / 1000) at t with the sample's series, feature, metric and labels.</li>
 * </ul>
 * A NaN or infinite counter value emits a NaN rate at t (a known gap) and leaves the state as it was, so the next
 * good reading gives the mean rate over the gap. A series not seen for {@code stateTtl} (processing time) is
 * forgotten: its next reading counts as a first one.
 */
public final class CounterRateFunction extends KeyedProcessFunction<String, Sample, Sample> {
    private static final long serialVersionUID = 1L;

    /** Default time to keep a silent series' last reading. */
    public static final Duration DEFAULT_STATE_TTL = Duration.ofHours(1);

    private final TreeSet<String> counterFeatures;
    private final Duration stateTtl;

    private transient ValueState<CounterReading> last;
    private transient Counter resets;
    private transient Counter outOfOrder;

    /** @param counterFeatures the features whose samples are counters */
    public CounterRateFunction(Set<String> counterFeatures) {
        this(counterFeatures, DEFAULT_STATE_TTL);
    }

    /** @param stateTtl how long to keep the last reading of a series that sends nothing; null: forever */
    public CounterRateFunction(Set<String> counterFeatures, Duration stateTtl) {
        this.counterFeatures = new TreeSet<>(counterFeatures);
        if (stateTtl != null && (stateTtl.isNegative() || stateTtl.isZero())) {
            throw new IllegalArgumentException("counter state TTL must be positive, got " + stateTtl);
        }
        this.stateTtl = stateTtl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<CounterReading> descriptor =
                new ValueStateDescriptor<>("last-counter-reading", TypeInformation.of(CounterReading.class));
        if (stateTtl != null) {
            descriptor.enableTimeToLive(StateTtlConfig.newBuilder(stateTtl)
                    .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                    .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                    .build());
        }
        last = getRuntimeContext().getState(descriptor);
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("anomaly").addGroup("counter_rates");
        resets = group.counter("resets");
        outOfOrder = group.counter("out_of_order");
    }

    @Override
    public void processElement(Sample sample, Context ctx, Collector<Sample> out) throws Exception {
        if (!counterFeatures.contains(sample.feature())) {
            out.collect(sample);
            return;
        }
        if (!Double.isFinite(sample.value())) {
            out.collect(withValue(sample, Double.NaN));
            return;
        }
        CounterReading previous = last.value();
        if (previous == null) {
            last.update(new CounterReading(sample.timestampMs(), sample.value()));
            return;
        }
        if (sample.timestampMs() <= previous.timestampMs()) {
            outOfOrder.inc();
            return;
        }
        last.update(new CounterReading(sample.timestampMs(), sample.value()));
        if (sample.value() < previous.value()) {
            resets.inc();
            return;
        }
        double seconds = (sample.timestampMs() - previous.timestampMs()) / 1000.0;
        out.collect(withValue(sample, (sample.value() - previous.value()) / seconds));
    }

    private static Sample withValue(Sample s, double value) {
        return new Sample(s.seriesId(), s.feature(), s.metric(), s.labels(), s.timestampMs(), value);
    }
}
