package dev.anomaly.sources.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureMappingTest {

    @Test
    void parsesFeatureKindMetricAndMatchers() {
        FeatureMapping m = FeatureMapping.parse("cpu_user = counter : node_cpu_seconds_total{mode=\"user\",cpu=\"0\"}");
        assertThat(m).isEqualTo(new FeatureMapping("cpu_user", "node_cpu_seconds_total",
                Map.of("mode", "user", "cpu", "0"), MetricKind.COUNTER));
        assertThat(FeatureMapping.parse("load=gauge:node_load1")).isEqualTo(
                new FeatureMapping("load", "node_load1", Map.of(), MetricKind.GAUGE));
    }

    @Test
    void matchesByNameAndEveryMatcher() {
        FeatureMapping m = FeatureMapping.parse("x=gauge:m{a=\"1\"}");
        assertThat(m.matches("m", Map.of("a", "1", "b", "2"))).isTrue();
        assertThat(m.matches("m", Map.of("a", "2"))).isFalse();
        assertThat(m.matches("m", Map.of())).isFalse();
        assertThat(m.matches("n", Map.of("a", "1"))).isFalse();
    }

    @Test
    void badSpecsFailNamingTheProblem() {
        assertThatThrownBy(() -> FeatureMapping.parse("cpu")).hasMessageContaining("is not of the form");
        assertThatThrownBy(() -> FeatureMapping.parse("cpu=rate:m")).hasMessageContaining("counter or gauge");
        assertThatThrownBy(() -> FeatureMapping.parse("cpu=gauge:m{a=1}"))
                .hasMessage("feature cpu: invalid metric selector 'm{a=1}'");
        assertThatThrownBy(() -> FeatureMapping.parse("cpu=gauge:9m")).hasMessageContaining("feature cpu");
        assertThatThrownBy(() -> FeatureMappings.parse(List.of("a=gauge:m", "a=counter:n")))
                .hasMessage("feature a is mapped twice");
        assertThatThrownBy(() -> FeatureMappings.parse(List.of())).hasMessageContaining("no feature mappings");
    }

    @Test
    void counterFeatures() {
        FeatureMappings m = FeatureMappings.parse(List.of("a=gauge:m", "b=counter:n", "c=counter:n{x=\"y\"}"));
        assertThat(m.counterFeatures()).containsExactly("b", "c");
        assertThat(m.matching("n", Map.of("x", "y"))).extracting(FeatureMapping::feature).containsExactly("b", "c");
        assertThat(m.matching("zzz", Map.of())).isEmpty();
    }
}
