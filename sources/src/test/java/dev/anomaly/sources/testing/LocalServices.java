package dev.anomaly.sources.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real local services of {@code scripts/services.sh}: starts them (idempotent: already running is fine) and
 * reads their addresses from {@code scripts/services.sh env}.
 */
public final class LocalServices {

    private LocalServices() {
    }

    /** Starts the named services and returns the environment of {@code services.sh env} (e.g. KAFKA_BROKERS). */
    public static Map<String, String> start(String... names) throws IOException, InterruptedException {
        run(300, "start", names);
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : run(30, "env", names).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[A-Z_]+")) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    private static String run(int timeoutSeconds, String action, String... names)
            throws IOException, InterruptedException {
        Path script = script();
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString(), action));
        command.addAll(List.of(names));
        Path output = Files.createTempFile("services-" + action, ".out");
        try {
            // Output to a file, not a pipe: waitFor's timeout then holds even if something keeps a pipe open.
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroy();
                throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s:\n"
                        + Files.readString(output));
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(command + " failed with exit code " + p.exitValue() + ":\n" + out);
            }
            return out;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** scripts/services.sh of this checkout, found upwards from the working directory (the module). */
    private static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path s = dir.resolve("scripts/services.sh");
            if (Files.isRegularFile(s)) {
                return s;
            }
        }
        throw new IllegalStateException("scripts/services.sh not found above " + Path.of("").toAbsolutePath());
    }
}
