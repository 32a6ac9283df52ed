package dev.anomaly.job.graph;

import dev.anomaly.job.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The job's own arguments, as bin/anomaly run and flink run pass them. */
class JobArgumentsTest {

    @Test
    void aConfigFileIsGivenAtMostOnceInEitherSpelling() {
        assertThat(JobArguments.parse(new String[] {"--config=a.yaml", "--set", "seq-len=60"}))
                .isEqualTo(new JobArguments(Path.of("a.yaml"), java.util.List.of("seq-len=60")));
        for (String[] twice : new String[][] {{"--config", "a.yaml", "--config", "b.yaml"},
                {"--config", "a.yaml", "--config=b.yaml"}, {"--config=a.yaml", "--config", "b.yaml"},
                {"--config=a.yaml", "--config=b.yaml"}}) {
            assertThatThrownBy(() -> JobArguments.parse(twice)).isInstanceOf(ConfigException.class)
                    .hasMessage("--config given twice");
        }
    }
}
