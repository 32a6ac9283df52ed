package dev.anomaly.job.graph;

import dev.anomaly.job.config.ConfigException;
import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.config.JobConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The job's arguments: {@code [--config FILE] [--set key=value]...}, the same for {@code bin/anomaly run} and {@code flink run}. */
public record JobArguments(Path config, List<String> overrides) {

    /** Parses {@code args}; fails with a {@link ConfigException} naming the bad argument. */
    public static JobArguments parse(String[] args) {
        Path config = null;
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--config") || a.equals("--set")) {
                if (i + 1 >= args.length) {
                    throw new ConfigException(a + " needs a value (" + (a.equals("--config") ? "a YAML file"
                            : "key=value") + ")");
                }
                String v = args[++i];
                if (a.equals("--config")) {
                    if (config != null) {
                        throw new ConfigException("--config given twice");
                    }
                    config = Path.of(v);
                } else {
                    sets.add(v);
                }
            } else if (a.startsWith("--config=")) {
                if (config != null) {
                    throw new ConfigException("--config given twice");
                }
                config = Path.of(a.substring("--config=".length()));
            } else if (a.startsWith("--set=")) {
                sets.add(a.substring("--set=".length()));
            } else {
                throw new ConfigException("unknown argument '" + a + "'; the job takes --config FILE and --set key=value");
            }
        }
        return new JobArguments(config, List.copyOf(sets));
    }

    /** Loads and validates the configuration these arguments name. */
    public JobConfig load() {
        return ConfigLoader.load(config, overrides);
    }
}
