package dev.anomaly.models.evaluation;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the read-only shared material (NAB, SMD) that lives beside the project root. */
final class SharedData {

    private SharedData() {
    }

    /** The shared dir: system property {@code anomaly.shared.dir} (set by surefire), else a {@code shared} dir above. */
    static Path dir() {
        String configured = System.getProperty("anomaly.shared.dir");
        if (configured != null && !configured.isBlank() && !configured.contains("${")
                && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared");
            if (Files.isDirectory(candidate.resolve("data"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared dir not found: set -Danomaly.shared.dir or place it beside the project");
    }

    static Path nab() {
        return dir().resolve("data").resolve("nab");
    }
}
