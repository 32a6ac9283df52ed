package dev.anomaly.job.cli;

import dev.anomaly.job.bench.BenchModel;
import dev.anomaly.job.bench.BenchResult;
import dev.anomaly.job.bench.HotBench;
import dev.anomaly.job.bench.JobBench;
import dev.anomaly.job.config.ConfigException;
import dev.anomaly.job.config.ConfigLoader;
import dev.anomaly.job.files.DirectoryTrees;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.LstmStateMode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code anomaly bench}: throughput, latency and state size of the detection path ({@code --mode hot}, one thread)
 * or of the whole job on a MiniCluster ({@code --mode job}). Trains one hybrid model up front (synthetic seasonal
 * series, default size at {@code --seq-len}, default 60). The last line printed is always
 * {@code samples_per_sec=<x> p50_ms=<y> p99_ms=<z> state_bytes_per_series=<w>}; with {@code --json} a JSON object
 * with the same figures and the run's settings comes on the line before it.
 */
final class BenchCommand {
    static final String SYNOPSIS = "bench --series N --samples M [--parallelism P] [--mode hot|job] [--seq-len L]"
            + " [--lstm-state window|carried|staggered] [--rate SAMPLES_PER_SEC] [--inference-batch-size B]"
            + " [--inference-max-delay DURATION] [--json]";

    private final PrintStream out;

    BenchCommand(PrintStream out) {
        this.out = out;
    }

    void run(String[] args) {
        CommandLineOptions o = CommandLineOptions.parse("bench", args,
                Set.of("--series", "--samples", "--parallelism", "--mode", "--seq-len", "--lstm-state", "--rate",
                        "--inference-batch-size", "--inference-max-delay"),
                Set.of("--json"));
        int series = positive(o, "--series", o.required("--series"));
        long samples = positive(o, "--samples", o.required("--samples"));
        String p = o.optional("--parallelism");
        int parallelism = p == null ? 1 : positive(o, "--parallelism", p);
        String s = o.optional("--seq-len");
        int seqLen = s == null ? 60 : positive(o, "--seq-len", s);
        if (seqLen < 2) {
            throw new UsageException("bench: --seq-len must be >= 2, got " + seqLen);
        }
        String mode = o.optional("--mode") == null ? "hot" : o.optional("--mode");
        if (!mode.equals("hot") && !mode.equals("job")) {
            throw new UsageException("bench: --mode must be hot or job, got '" + mode + "'");
        }
        if (mode.equals("hot") && p != null && parallelism != 1) {
            throw new UsageException("bench: --mode hot runs in one thread; --parallelism applies to --mode job");
        }
        LstmStateMode lstmState = HybridConfig.defaults().lstmState();
        if (o.optional("--lstm-state") != null) {
            try {
                lstmState = LstmStateMode.parse(o.optional("--lstm-state"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("bench: --" + e.getMessage());
            }
        }
        String rateText = o.optional("--rate");
        int rate = rateText == null ? 0 : positive(o, "--rate", rateText);
        if (mode.equals("hot") && rateText != null) {
            throw new UsageException("bench: --rate limits the generator of --mode job; --mode hot runs flat out");
        }
        List<String> inference = new java.util.ArrayList<>();
        String batchText = o.optional("--inference-batch-size");
        if (batchText != null) {
            inference.add("inference.batch-size=" + positive(o, "--inference-batch-size", batchText));
        }
        String delayText = o.optional("--inference-max-delay");
        if (delayText != null) {
            inference.add("inference.max-delay=" + delayText);
        }
        if (mode.equals("hot") && !inference.isEmpty()) {
            throw new UsageException("bench: --inference-batch-size and --inference-max-delay configure the job's"
                    + " operator (--mode job); --mode hot runs one series step at a time");
        }
        if (!inference.isEmpty()) {
            try {
                // The job's own rules for these keys, checked before a model is trained and a cluster started.
                ConfigLoader.load(null, inference);
            } catch (ConfigException e) {
                throw new UsageException("bench: " + e.getMessage());
            }
        }
        FeatureModel model = BenchModel.train(seqLen, lstmState);
        BenchResult r;
        if (mode.equals("hot")) {
            r = HotBench.run(model, series, samples);
        } else {
            Path work;
            try {
                work = Files.createTempDirectory("anomaly-bench");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                r = JobBench.run(model, series, samples, parallelism, rate, work, inference);
            } catch (Exception e) {
                throw new IllegalStateException("bench job failed: " + e, e);
            } finally {
                DirectoryTrees.deleteQuietly(work);
            }
        }
        if (o.flag("--json")) {
            out.println(r.json());
        }
        out.println(r.keyValueLine());
    }

    private static int positive(CommandLineOptions o, String name, String value) {
        try {
            long v = Long.parseLong(value.trim());
            if (v < 1 || v > Integer.MAX_VALUE) {
                throw new UsageException("bench: " + name + " must be a positive integer, got '" + value + "'");
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new UsageException("bench: " + name + " must be a positive integer, got '" + value + "'");
        }
    }
}
