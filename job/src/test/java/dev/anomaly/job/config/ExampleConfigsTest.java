package dev.anomaly.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shipped example configurations load, and the documented one states exactly the defaults. */
class ExampleConfigsTest {
    static final Path EXAMPLES = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "examples");

    static Path examples() {
        Path p = Path.of("..", "examples");
        return Files.isDirectory(p) ? p : EXAMPLES;
    }

    @Test
    void everyExampleLoads() throws Exception {
        try (Stream<Path> files = Files.list(examples())) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertThat(yaml).isNotEmpty();
            for (Path f : yaml) {
                ConfigLoader.load(f, List.of("source.replay.path=" + examples()));
            }
        }
    }

    @Test
    void theDocumentedExampleIsTheDefaults() {
        JobConfig documented = ConfigLoader.load(examples().resolve("embedded.yaml"), List.of());
        JobConfig defaults = ConfigLoader.load(null, List.of());
        assertThat(documented.detection()).isEqualTo(defaults.detection());
        assertThat(documented.source()).isEqualTo(defaults.source());
        assertThat(documented.sinks()).isEqualTo(defaults.sinks());
        assertThat(documented.runtime()).isEqualTo(defaults.runtime());
        assertThat(documented.fetchInterval()).isEqualTo(defaults.fetchInterval());
        assertThat(documented.device()).isEqualTo(defaults.device());
    }

    /** The job configurations shipped for docker-compose and Kubernetes load with this build's schema. */
    @Test
    void deployedJobConfigurationsLoad() throws Exception {
        Path root = examples().getParent();
        JobConfig compose = ConfigLoader.load(root.resolve("deploy/compose/job.yaml"), List.of());
        assertThat(compose.source().type()).isEqualTo(SourceSettings.Type.VICTORIAMETRICS);
        assertThat(compose.sinks().kafka().enabled()).isTrue();
        assertThat(compose.sinks().victoriaMetrics().enabled()).isTrue();
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        String k8s = yaml.readTree(root.resolve("deploy/k8s/job-config.yaml").toFile()).at("/data/job.yaml").asText();
        Path extracted = Files.createTempFile("k8s-job", ".yaml");
        try {
            Files.writeString(extracted, k8s);
            JobConfig kube = ConfigLoader.load(extracted, List.of());
            assertThat(kube.features()).containsOnlyKeys("cpu", "memory");
            assertThat(kube.sinks().kafka().enabled()).isTrue();
        } finally {
            Files.deleteIfExists(extracted);
        }
    }
}
