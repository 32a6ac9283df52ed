package dev.anomaly.sources.victoriametrics;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One real VictoriaMetrics for all tests of a class ({@code @RegisterExtension static}): started before the first
 * test in a fresh data directory under {@code java.io.tmpdir} (the module's {@code target/} in the build), stopped
 * and its data removed after the last.
 */
final class VictoriaMetricsExtension implements BeforeAllCallback, AfterAllCallback {

    private Path dataDir;
    private VictoriaMetricsProcess process;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("victoria-metrics-");
        process = VictoriaMetricsProcess.start(dataDir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (process != null) {
                process.close();
            }
        } finally {
            deleteRecursively(dataDir);
        }
    }

    /** The running VictoriaMetrics (between the class's first and last test). */
    VictoriaMetricsProcess process() {
        if (process == null) {
            throw new IllegalStateException("VictoriaMetrics is started before the test class's first test");
        }
        return process;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
