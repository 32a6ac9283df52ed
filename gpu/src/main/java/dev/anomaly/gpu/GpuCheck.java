package dev.anomaly.gpu;

import dev.anomaly.models.lstm.LstmForwardPass;
import dev.anomaly.models.lstm.LstmLayerWeights;
import dev.anomaly.models.lstm.LstmWeights;
import dev.anomaly.models.lstm.LstmWeightsFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Compares the GPU path with the CPU path on one machine and measures it: for every batch size, the GPU's predictions
 * against {@link LstmForwardPass} on the same windows and weights (max absolute difference), and windows per second
 * with the data already on the GPU (kernel only, CUDA events) and with the copies in and out ({@code predict}).
 * Prints a Markdown table and writes it with a JSON copy under {@code --out}; exits 1 if any difference exceeds
 * {@code --tolerance}.
 *
 * <pre>
 * GpuCheck (--weights LSTM.bin | --random-hidden N [--layers L]) (--kernel FILE.fatbin | --nvrtc)
 *          [--steps 60] [--batches 256,1024,4096,16384,65536] [--repeats 50] [--tolerance 1e-5] [--out DIR]
 * </pre>
 */
public final class GpuCheck {

    private GpuCheck() {
    }

    record Row(int batch, double maxAbsDiff, double residentMs, double residentWindowsPerSec,
               double transferMs, double transferWindowsPerSec) {
    }

    public static void main(String[] args) throws IOException {
        try {
            run(args);
        } catch (CudaUnavailableException e) {
            System.err.println("gpu-check: " + e.getMessage());
            System.exit(3);
        }
    }

    private static void run(String[] args) throws IOException {
        String weightsFile = null;
        int randomHidden = 0;
        int layers = 1;
        String kernelFile = null;
        boolean nvrtc = false;
        int steps = 60;
        int[] batches = {256, 1024, 4096, 16384, 65536};
        int repeats = 50;
        double tolerance = 1e-5;
        Path out = Path.of(".");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--weights" -> weightsFile = args[++i];
                case "--random-hidden" -> randomHidden = Integer.parseInt(args[++i]);
                case "--layers" -> layers = Integer.parseInt(args[++i]);
                case "--kernel" -> kernelFile = args[++i];
                case "--nvrtc" -> nvrtc = true;
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--batches" -> batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--tolerance" -> tolerance = Double.parseDouble(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if ((weightsFile == null) == (randomHidden == 0) || (kernelFile == null) == !nvrtc) {
            System.err.println("usage: GpuCheck (--weights LSTM.bin | --random-hidden N [--layers L])"
                    + " (--kernel FILE.fatbin | --nvrtc) [--steps 60] [--batches 256,...] [--repeats 50]"
                    + " [--tolerance 1e-5] [--out DIR]");
            System.exit(2);
        }
        LstmWeights weights = weightsFile != null
                ? LstmWeightsFormat.load(Path.of(weightsFile))
                : randomWeights(randomHidden, layers, 7L);
        String network = weights.layers().size() + " x " + weights.layers().get(0).hiddenSize() + " LSTM"
                + (weightsFile != null ? " (trained, " + Path.of(weightsFile).getFileName() + ")" : " (random weights)");
        int maxBatch = Arrays.stream(batches).max().orElseThrow();
        float[] windows = windows(maxBatch, steps, 11L);

        // The CPU reference: the plain-Java forward pass on the same float values, in double.
        LstmForwardPass cpu = new LstmForwardPass(weights);
        double[] expected = new double[maxBatch];
        double[] window = new double[steps];
        long cpuStart = System.nanoTime();
        for (int b = 0; b < maxBatch; b++) {
            for (int t = 0; t < steps; t++) {
                window[t] = windows[b * steps + t];
            }
            expected[b] = cpu.predict(window);
        }
        double cpuWindowsPerSec = maxBatch / ((System.nanoTime() - cpuStart) / 1e9);

        List<Row> rows = new ArrayList<>();
        String deviceText;
        String kernelOrigin;
        try (CudaDevice device = CudaDevice.open(0)) {
            deviceText = device.toString();
            CudaKernelImage kernel = nvrtc ? CudaKernelImage.compileWithNvrtc(device)
                    : CudaKernelImage.fromFile(Path.of(kernelFile));
            kernelOrigin = kernel.origin();
            try (CudaLstmBatchInference gpu = new CudaLstmBatchInference(device, kernel, weights, steps, maxBatch)) {
                for (int batch : batches) {
                    float[] predictions = new float[batch];
                    gpu.predict(windows, batch, predictions);
                    double maxDiff = 0;
                    for (int b = 0; b < batch; b++) {
                        double d = Math.abs(predictions[b] - expected[b]);
                        maxDiff = Double.isNaN(d) ? Double.NaN : Math.max(maxDiff, d);
                    }
                    double residentMs = gpu.timeResident(windows, batch, repeats);
                    int transferRepeats = Math.max(3, repeats / 5);
                    long start = System.nanoTime();
                    for (int r = 0; r < transferRepeats; r++) {
                        gpu.predict(windows, batch, predictions);
                    }
                    double transferMs = (System.nanoTime() - start) / 1e6 / transferRepeats;
                    Row row = new Row(batch, maxDiff, residentMs, batch / (residentMs / 1e3), transferMs,
                            batch / (transferMs / 1e3));
                    rows.add(row);
                    System.out.printf(Locale.ROOT, "gpu-check: batch=%d max_abs_diff=%.3g resident=%.4f ms (%.0f windows/s)"
                                    + " with_copies=%.4f ms (%.0f windows/s)%n", batch, maxDiff, residentMs,
                            row.residentWindowsPerSec, transferMs, row.transferWindowsPerSec);
                }
            }
        }
        final double limit = tolerance;
        boolean ok = rows.stream().allMatch(r -> r.maxAbsDiff <= limit);
        String markdown = markdown(deviceText, kernelOrigin, network, steps, repeats, tolerance, cpuWindowsPerSec, rows);
        String json = json(deviceText, kernelOrigin, network, steps, tolerance, cpuWindowsPerSec, rows, ok);
        Files.createDirectories(out);
        String stem = weightsFile != null ? "trained" : "random-h" + randomHidden + "-l" + layers;
        Files.writeString(out.resolve("gpu-check-" + stem + ".md"), markdown);
        Files.writeString(out.resolve("gpu-check-" + stem + ".json"), json);
        System.out.print(markdown);
        System.out.println(ok ? "gpu-check: OK, every prediction within " + tolerance + " of the CPU path"
                : "gpu-check: FAILED, a prediction differs from the CPU path by more than " + tolerance);
        System.exit(ok ? 0 : 1);
    }

    /** Windows of a noisy daily-like cycle, scaled like the detector's normalised residuals (roughly unit scale). */
    static float[] windows(int batch, int steps, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] w = new float[batch * steps];
        for (int b = 0; b < batch; b++) {
            double phase = random.nextDouble() * 2 * Math.PI;
            double amplitude = 0.5 + random.nextDouble();
            for (int t = 0; t < steps; t++) {
                w[b * steps + t] = (float) (amplitude * Math.sin(phase + 2 * Math.PI * t / 24.0)
                        + 0.3 * random.nextGaussian());
            }
        }
        return w;
    }

    /** Uniform(-0.4, 0.4) weights of the given shape, reproducible from {@code seed}. */
    static LstmWeights randomWeights(int hidden, int layers, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LstmLayerWeights> ls = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int nIn = l == 0 ? 1 : hidden;
            ls.add(new LstmLayerWeights(nIn, hidden, uniform(random, nIn * 4 * hidden),
                    uniform(random, hidden * 4 * hidden), uniform(random, 4 * hidden)));
        }
        return new LstmWeights(ls, uniform(random, hidden), random.nextDouble(-0.4, 0.4));
    }

    private static double[] uniform(SplittableRandom random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble(-0.4, 0.4);
        }
        return v;
    }

    private static String markdown(String device, String kernel, String network, int steps, int repeats,
                                   double tolerance, double cpuWindowsPerSec, List<Row> rows) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "GPU: %s; kernel: %s; network: %s; %d steps per window; %d timed launches"
                + " per batch; tolerance %.0e.%nCPU path (LstmForwardPass, one thread, same machine): %,.0f windows/s.%n%n",
                device, kernel, network, steps, repeats, tolerance, cpuWindowsPerSec));
        s.append("| batch | max abs diff vs CPU | kernel ms | windows/s (on GPU) | with copies ms | windows/s (with copies) |\n");
        s.append("|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %,d | %.2e | %.4f | %,.0f | %.4f | %,.0f |%n", r.batch,
                    r.maxAbsDiff, r.residentMs, r.residentWindowsPerSec, r.transferMs, r.transferWindowsPerSec));
        }
        return s.toString();
    }

    private static String json(String device, String kernel, String network, int steps, double tolerance,
                               double cpuWindowsPerSec, List<Row> rows, boolean ok) {
        StringBuilder s = new StringBuilder("{");
        s.append("\"device\":").append(quote(device)).append(",\"kernel\":").append(quote(kernel))
                .append(",\"network\":").append(quote(network)).append(",\"steps\":").append(steps)
                .append(",\"tolerance\":").append(tolerance)
                .append(String.format(Locale.ROOT, ",\"cpu_windows_per_sec\":%.1f", cpuWindowsPerSec))
                .append(",\"ok\":").append(ok).append(",\"batches\":[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            s.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"batch\":%d,\"max_abs_diff\":%.6g,\"kernel_ms\":%.6f,\"windows_per_sec\":%.1f,"
                            + "\"with_copies_ms\":%.6f,\"with_copies_windows_per_sec\":%.1f}",
                    r.batch, r.maxAbsDiff, r.residentMs, r.residentWindowsPerSec, r.transferMs,
                    r.transferWindowsPerSec));
        }
        return s.append("]}\n").toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
