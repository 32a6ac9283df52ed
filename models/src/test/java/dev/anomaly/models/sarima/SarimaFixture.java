package dev.anomaly.models.sarima;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

/** One statsmodels reference case from {@code shared/reference/sarima}: an input series, a spec and the oracle's results. */
record SarimaFixture(String id, JsonNode root) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** All fixture files; fails (never skips) when the shared folder is missing, since the fixtures are the oracle. */
    static List<SarimaFixture> all() {
        Path dir = SharedData.dir().resolve("reference/sarima");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted()
                    .map(SarimaFixture::load).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list SARIMA fixtures in " + dir, e);
        }
    }

    static SarimaFixture load(Path file) {
        try {
            String name = file.getFileName().toString();
            return new SarimaFixture(name.substring(0, name.length() - 5), JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read fixture " + file, e);
        }
    }

    double[] series() {
        return doubles(root.get("series"));
    }

    SarimaSpec spec() {
        JsonNode s = root.get("spec");
        JsonNode o = s.get("order");
        JsonNode so = s.get("seasonal_order");
        return new SarimaSpec(new SarimaOrder(o.get(0).asInt(), o.get(1).asInt(), o.get(2).asInt(),
                so.get(0).asInt(), so.get(1).asInt(), so.get(2).asInt(), so.get(3).asInt()),
                Trend.fromCode(s.get("trend").asText()));
    }

    double[] fixedParams() {
        return doubles(root.at("/fixed/params"));
    }

    JsonNode variant(String name) {
        return root.at("/fixed/variants/" + name);
    }

    JsonNode fitted(String name) {
        return root.at("/fitted/" + name);
    }

    JsonNode fittedSummary() {
        return root.get("fitted_summary");
    }

    static double[] doubles(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalStateException("expected a JSON array, got " + array);
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            out[i] = v.isNull() ? Double.NaN : v.asDouble();
        }
        return out;
    }

    @Override
    public String toString() {
        return id;
    }

    /** Locates the read-only shared folder beside the project root. */
    static final class SharedData {
        private SharedData() {
        }

        static Path dir() {
            String prop = System.getProperty("anomaly.shared.dir");
            if (prop != null && Files.isDirectory(Paths.get(prop))) {
                return Paths.get(prop);
            }
            for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
                Path candidate = p.resolveSibling("shared");
                if (Files.isDirectory(candidate.resolve("reference"))) {
                    return candidate;
                }
            }
            throw new IllegalStateException("shared data folder not found (set -Danomaly.shared.dir)");
        }
    }
}
