package dev.anomaly.job.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anomaly.job.config.JobConfig;
import dev.anomaly.job.config.SourceSettings;
import dev.anomaly.job.graph.JobArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.container.entrypoint.StandaloneApplicationClusterConfigurationParserFactory;
import org.apache.flink.runtime.entrypoint.ClusterConfiguration;
import org.apache.flink.runtime.entrypoint.parser.CommandLineParser;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose's JobManager command, read from docker-compose.yml, goes through what the Flink image does with it:
 * {@code standalone-job} runs {@code standalone-job.sh start-foreground ARGS}, which starts the application entry
 * point with {@code --configDir <conf> ARGS}, parsed by Flink's own parser (its class, not a copy). The job must get
 * its {@code --config} with the mounted file, and that file must configure the compose stack's source and sinks.
 * With {@code --config} straight after the entry point's options, Flink's parser took it as an abbreviation of
 * {@code --configDir} and the job ran on built-in defaults (the host's /proc, no sinks).
 */
class ComposeJobCommandTest {

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void theJobManagerHandsTheMountedConfigurationToTheJob() throws Exception {
        Path root = projectRoot();
        Map<String, Object> compose;
        try (var in = Files.newInputStream(root.resolve("docker-compose.yml"))) {
            compose = new Yaml().load(in);
        }
        Map<String, Object> jobmanager = (Map<String, Object>) ((Map<String, Object>) compose.get("services"))
                .get("jobmanager");
        List<String> command = (List<String>) jobmanager.get("command");
        assertThat(command.get(0)).isEqualTo("standalone-job");

        List<String> entryPointArgs = new ArrayList<>(List.of("--configDir", "/opt/flink/conf"));
        entryPointArgs.addAll(command.subList(1, command.size()));
        // The parsed configuration's class is package-private in flink-container: read it through its public base.
        ClusterConfiguration parsed = (ClusterConfiguration) new CommandLineParser(
                new StandaloneApplicationClusterConfigurationParserFactory())
                .parse(entryPointArgs.toArray(String[]::new));
        assertThat(parsed.getConfigDir()).isEqualTo("/opt/flink/conf");
        var jobClassName = parsed.getClass().getDeclaredMethod("getJobClassName");
        jobClassName.setAccessible(true);
        assertThat(jobClassName.invoke(parsed)).isEqualTo("dev.anomaly.job.graph.StreamingJob");

        JobArguments job = JobArguments.parse(parsed.getArgs());
        assertThat(job.config()).as("the job's --config").isNotNull();
        String mounted = job.config().toString();
        List<String> volumes = (List<String>) jobmanager.get("volumes");
        String hostPath = volumes.stream().filter(v -> v.split(":")[1].equals(mounted)).map(v -> v.split(":")[0])
                .findFirst().orElseThrow(() -> new AssertionError(mounted + " is not mounted: " + volumes));
        JobConfig config = new JobArguments(root.resolve(hostPath).normalize(), job.overrides()).load();
        assertThat(config.source().type()).isEqualTo(SourceSettings.Type.VICTORIAMETRICS);
        assertThat(config.sinks().kafka().enabled()).isTrue();
        assertThat(config.sinks().victoriaMetrics().enabled()).isTrue();
    }

    private static Path projectRoot() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docker-compose.yml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IOException("docker-compose.yml not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
