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
}
