package dev.anomaly.operators.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.models.records.DetectionResult;
import dev.anomaly.models.records.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.junit.jupiter.api.Test;

/** Per-series gauges: names and labels as the Prometheus contract says, the cardinality limit, published values. */
class SeriesGaugeRegistryTest {

    /** A metric group that records every gauge under its full scope ("group.key=value.name"). */
    static final class RecordingGroup extends UnregisteredMetricsGroup {
        final String scope;
        final Map<String, Gauge<?>> gauges;

        RecordingGroup(String scope, Map<String, Gauge<?>> gauges) {
            this.scope = scope;
            this.gauges = gauges;
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(scope + name + ".", gauges);
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(scope + key + "=" + value + ".", gauges);
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            gauges.put(scope + name, gauge);
            return gauge;
        }

        /** A counter is recorded as a gauge of its count. */
        @Override
        public <C extends org.apache.flink.metrics.Counter> C counter(String name, C counter) {
            gauges.put(scope + name, (Gauge<Long>) counter::getCount);
            return counter;
        }
    }

    static DetectionResult result(double score, boolean anomaly) {
        return new DetectionResult("cpu{instance=\"h\",mode=\"user\"}", "cpu", "m", Map.of("instance", "h",
                "mode", "user"), 1000, 5.0, 4.5, 0.5, 0.1, 0.16, 2.0, score, anomaly, false, ModelState.TRAINED,
                new double[] {4.6, 4.7}, new double[] {4.0, 4.1}, new double[] {5.2, 5.3});
    }

    @Test
    void gaugesFollowTheMetricContractAndPublishTheLatestResult() {
        Map<String, Gauge<?>> gauges = new TreeMap<>();
        SeriesGaugeRegistry registry = new SeriesGaugeRegistry(new RecordingGroup("", gauges), 10, 2);
        SeriesGauges g = registry.gauges("cpu{instance=\"h\",mode=\"user\"}", "cpu", "h");
        String series = "anomaly_detector.feature=cpu.instance=h.series=cpu{instance=\"h\",mode=\"user\"}.";
        List<String> expected = new ArrayList<>();
        for (String n : List.of("value", "yhat", "residual", "predicted_residual", "mse", "threshold", "score",
                "anomaly", "warming_up", "alarms")) {
            expected.add(series + n);
        }
        for (String h : List.of("1", "2")) {
            for (String n : List.of("forecast", "forecast_lower", "forecast_upper")) {
                expected.add(series + "horizon=" + h + "." + n);
            }
        }
        assertThat(gauges.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(gauges.get(series + "warming_up").getValue()).isEqualTo(1.0);
        g.update(result(0.9995, true));
        assertThat(gauges.get(series + "score").getValue()).isEqualTo(0.9995);
        assertThat(gauges.get(series + "anomaly").getValue()).isEqualTo(1.0);
        assertThat(gauges.get(series + "warming_up").getValue()).isEqualTo(0.0);
        assertThat(gauges.get(series + "yhat").getValue()).isEqualTo(4.5);
        assertThat(gauges.get(series + "horizon=2.forecast_upper").getValue()).isEqualTo(5.3);
        assertThat(gauges.get(series + "alarms").getValue()).isEqualTo(1L);
        g.update(result(0.2, false));
        assertThat(gauges.get(series + "anomaly").getValue()).isEqualTo(0.0);
        assertThat(gauges.get(series + "alarms").getValue()).as("a counter: it keeps its count").isEqualTo(1L);
        g.update(result(0.9999, true));
        assertThat(gauges.get(series + "alarms").getValue()).isEqualTo(2L);
    }

    @Test
    void seriesBeyondTheLimitGetNoGauges() {
        Map<String, Gauge<?>> gauges = new TreeMap<>();
        SeriesGaugeRegistry registry = new SeriesGaugeRegistry(new RecordingGroup("", gauges), 2, 0);
        assertThat(registry.gauges("a", "f", "")).isNotNull();
        assertThat(registry.gauges("b", "f", "")).isNotNull();
        assertThat(registry.gauges("c", "f", "")).isNull();
        assertThat(registry.gauges("a", "f", "")).as("a known series keeps its gauges").isNotNull();
        assertThat(registry.size()).isEqualTo(2);
        assertThat(gauges.keySet()).noneMatch(k -> k.contains("series=c."));
    }

    /**
     * Against Flink's runtime metric groups (what a task gets) and a registry that sees every (un)registration, as
     * a reporter does: a forgotten series' gauges leave the reporters and its place under the limit goes to a new
     * series; a series that comes back registers afresh and publishes again.
     */
    @Test
    void aForgottenSeriesUnregistersItsGaugesAndFreesItsPlace() {
        Map<String, Metric> registered = new TreeMap<>();
        TaskManagerMetricGroup root = recordingTaskManagerGroup(registered);
        SeriesGaugeRegistry gauges = new SeriesGaugeRegistry(root, 2, 1);
        gauges.gauges("a", "cpu", "h1");
        gauges.gauges("b", "cpu", "h2");
        assertThat(gauges.gauges("c", "cpu", "h3")).as("over the limit").isNull();
        assertThat(seriesOf(registered)).containsExactly("a", "b");
        assertThat(registered).hasSize(2 * 13);

        gauges.forget("a");
        assertThat(seriesOf(registered)).containsExactly("b");
        assertThat(registered).hasSize(13);
        assertThat(gauges.gauges("c", "cpu", "h3")).as("a's place").isNotNull();
        assertThat(seriesOf(registered)).containsExactly("b", "c");

        gauges.forget("c");
        gauges.forget("never-seen");
        SeriesGauges back = gauges.gauges("c", "cpu", "h3");
        assertThat(seriesOf(registered)).containsExactly("b", "c");
        back.update(result(0.25, false));
        Metric score = registered.entrySet().stream().filter(e -> e.getKey().contains(".c.") && e.getKey()
                .endsWith(".score")).map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(((Gauge<?>) score).getValue()).as("the new registration publishes").isEqualTo(0.25);
    }

    /**
     * Label churn: 5,000 short-lived series, at most 20 alive at a time, in two features. Every gauge of a forgotten
     * series leaves the registry, the live ones keep publishing, and the metric groups the subtask retains stay
     * bounded by the live series and the compaction step, not by the series ever seen (Flink keeps a closed child
     * group in its parent until one of the same name replaces it, so without compaction 5,000 closed groups stay).
     */
    @Test
    void labelChurnRetainsGroupsInProportionToTheLiveSeriesNotToEverySeriesSeen() throws Exception {
        Map<String, Metric> registered = new TreeMap<>();
        TaskManagerMetricGroup root = recordingTaskManagerGroup(registered);
        SeriesGaugeRegistry gauges = new SeriesGaugeRegistry(root, 20, 1);
        java.util.ArrayDeque<String> live = new java.util.ArrayDeque<>();
        for (int i = 0; i < 5_000; i++) {
            String id = "s" + i;
            String feature = i % 2 == 0 ? "cpu" : "mem";
            SeriesGauges g = gauges.gauges(id, feature, "pod-" + i);
            assertThat(g).isNotNull();
            g.update(result(i, false));
            live.addLast(id);
            if (live.size() == 20) {
                gauges.forget(live.removeFirst());
            }
        }
        assertThat(seriesOf(registered)).containsExactlyInAnyOrderElementsOf(live);
        assertThat(registered).hasSize(live.size() * 13);
        for (Map.Entry<String, Metric> e : registered.entrySet()) {
            if (e.getKey().endsWith(".score")) {
                int i = Integer.parseInt(e.getKey().replaceAll(".*\\.series\\.s([0-9]+)\\..*", "$1"));
                assertThat(((Gauge<?>) e.getValue()).getValue()).as(e.getKey()).isEqualTo((double) i);
            }
        }
        int retained = groupsUnder(root);
        assertThat(retained).as("groups retained after 5,000 series, 19 alive")
                .isLessThan(2 * (SeriesGaugeRegistry.COMPACT_AFTER + 20) * 3 + 50);
    }

    /** Every metric group reachable from {@code g} through Flink's child-group maps (closed ones included). */
    private static int groupsUnder(Object g) throws ReflectiveOperationException {
        java.lang.reflect.Field f = org.apache.flink.runtime.metrics.groups.AbstractMetricGroup.class
                .getDeclaredField("groups");
        f.setAccessible(true);
        int n = 1;
        for (Object child : ((Map<?, ?>) f.get(g)).values()) {
            n += groupsUnder(child);
        }
        return n;
    }

    /**
     * A task manager's runtime metric group whose registry keeps {@code registered} as a reporter would: every
     * metric registered, by identifier, and removed again when unregistered.
     */
    private static TaskManagerMetricGroup recordingTaskManagerGroup(Map<String, Metric> registered) {
        TestingMetricRegistry registry = TestingMetricRegistry.builder()
                .setRegisterConsumer((metric, name, group) -> registered.put(group.getMetricIdentifier(name), metric))
                .setUnregisterConsumer((metric, name, group) -> registered.remove(group.getMetricIdentifier(name),
                        metric))
                .build();
        return TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "localhost", ResourceID.generate());
    }

    /** The series ids that have gauges registered (the value of the series group in each identifier). */
    private static List<String> seriesOf(Map<String, Metric> registered) {
        return registered.keySet().stream().map(k -> k.replaceAll(".*\\.series\\.([^.]+)\\..*", "$1")).distinct()
                .sorted().toList();
    }
}
