package dev.anomaly.bench;

import dev.anomaly.models.detection.DetectorMode;
import dev.anomaly.models.evaluation.Quantile;
import dev.anomaly.models.hybrid.FeatureModel;
import dev.anomaly.models.hybrid.HybridConfig;
import dev.anomaly.models.hybrid.SarimaEeLstmTrainer;
import dev.anomaly.models.io.ValueSeriesReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What re-estimation ({@code warmup.reestimate-until}) costs on real series rather than on
 * {@link ReestimationBenchmark}'s synthetic worst case (a period-24 series, whose every refit fits seasonal ARMA
 * candidates): for each CSV file under a folder (timestamp,value, such as NAB's), the hybrid at the job's defaults
 * is trained on the first 120 values, as a new series self-trains, then refitted at 240, 480, … values while that
 * is at most the training window (4,000), as the job does. It prints the CPU time (the training pool's cost) of
 * the first training (key 120) and of each refit (key: the values refitted on) per file, then per history length
 * and for all refits of a series the median, 90th percentile and largest.
 *
 * <p>Usage: {@code OMP_NUM_THREADS=1 java -cp bench/target/benchmarks.jar dev.anomaly.bench.ReestimationCost
 * ../shared/data/nab/data}
 */
public final class ReestimationCost {
    private static final int FIRST_TRAINING = 120;

    private ReestimationCost() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ReestimationCost FOLDER_OF_CSV_FILES");
            System.exit(2);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(args[0]))) {
            files = walk.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        HybridConfig config = HybridConfig.defaults();
        SarimaEeLstmTrainer trainer = new SarimaEeLstmTrainer(DetectorMode.HYBRID, config);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // The first fits in a fresh JVM run interpreted; one file's refits first, untimed, so the JIT has compiled.
        refits(trainer, ValueSeriesReader.read(files.get(0)), config.maxTrainingPoints(), threads);
        TreeMap<Integer, List<Double>> byPoints = new TreeMap<>();
        List<Double> perSeries = new ArrayList<>();
        for (Path file : files) {
            double[] values = ValueSeriesReader.read(file);
            if (values.length < 2 * FIRST_TRAINING) {
                continue;
            }
            TreeMap<Integer, Double> ms = refits(trainer, values, config.maxTrainingPoints(), threads);
            double total = ms.tailMap(FIRST_TRAINING, false).values().stream().mapToDouble(Double::doubleValue).sum();
            perSeries.add(total);
            ms.forEach((points, t) -> byPoints.computeIfAbsent(points, k -> new ArrayList<>()).add(t));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-45s %6d rows", file.getFileName(),
                    values.length));
            ms.forEach((points, t) -> line.append(String.format(Locale.ROOT, "  %d: %5.0f", points, t)));
            System.out.println(line.append(String.format(Locale.ROOT, "  refits %5.0f ms", total)));
        }
        System.out.println();
        System.out.println("CPU time, ms                files   median      p90      max");
        byPoints.forEach((points, t) -> System.out.println(summary(
                (points == FIRST_TRAINING ? "first training, " : "refit, ") + points + " values", t)));
        System.out.println(summary("all refits of a series", perSeries));
    }

    /** CPU milliseconds of each refit of a series trained on its first values, keyed by the history refitted on. */
    private static TreeMap<Integer, Double> refits(SarimaEeLstmTrainer trainer, double[] values, int until,
                                                   ThreadMXBean threads) {
        TreeMap<Integer, Double> ms = new TreeMap<>();
        long trainingStart = threads.getCurrentThreadCpuTime();
        FeatureModel model = trainer.fit(Arrays.copyOf(values, FIRST_TRAINING));
        ms.put(FIRST_TRAINING, (threads.getCurrentThreadCpuTime() - trainingStart) / 1e6);
        for (int points = 2 * FIRST_TRAINING; points <= Math.min(until, values.length); points *= 2) {
            long start = threads.getCurrentThreadCpuTime();
            model = trainer.refit(model, Arrays.copyOf(values, points));
            ms.put(points, (threads.getCurrentThreadCpuTime() - start) / 1e6);
        }
        return ms;
    }

    private static String summary(String label, List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        return String.format(Locale.ROOT, "%-27s %6d %8.0f %8.0f %8.0f", label, v.length, Quantile.of(v, 0.5),
                Quantile.of(v, 0.9), Quantile.of(v, 1.0));
    }
}
