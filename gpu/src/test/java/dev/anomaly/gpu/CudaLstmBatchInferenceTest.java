package dev.anomaly.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.anomaly.models.lstm.LstmForwardPass;
import dev.anomaly.models.lstm.LstmWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Without a GPU (CI, the development machine) opening the device must fail with one clear line; with one (the lent
 * GPU machine, where bench/gpu-check.sh runs the full comparison) the kernel, compiled by NVRTC, must match the
 * CPU path.
 */
class CudaLstmBatchInferenceTest {

    /** A GPU is usable here: the driver library exists. */
    private static boolean driverPresent() {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/local/cuda/lib64",
                "/usr/local/cuda/compat", "/lib/x86_64-linux-gnu"}) {
            if (Files.exists(Path.of(dir, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void withoutADriverOpeningTheDeviceFailsWithOneClearLine() {
        if (driverPresent()) {
            try (CudaDevice device = CudaDevice.open(0)) {
                assertThat(device.computeCapability()).isPositive();
            }
            return;
        }
        assertThatThrownBy(() -> CudaDevice.open(0))
                .isInstanceOf(CudaUnavailableException.class)
                .hasMessageStartingWith("no usable CUDA GPU: ")
                .hasMessageContaining("libcuda.so.1")
                .hasMessageContaining("use the CPU path")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void packedWeightsFollowTheKernelLayout() {
        LstmWeights weights = GpuCheck.randomWeights(3, 2, 5L);
        float[] packed = CudaLstmBatchInference.pack(weights);
        // layer 0: W 1x12, RW 3x12, b 12; layer 1: W 3x12, RW 3x12, b 12; output 3 + bias
        assertThat(packed).hasSize(12 + 36 + 12 + 36 + 36 + 12 + 3 + 1);
        assertThat(packed[0]).isEqualTo((float) weights.layers().get(0).inputWeights()[0]);
        assertThat(packed[12]).isEqualTo((float) weights.layers().get(0).recurrentWeights()[0]);
        assertThat(packed[48]).isEqualTo((float) weights.layers().get(0).bias()[0]);
        assertThat(packed[60]).isEqualTo((float) weights.layers().get(1).inputWeights()[0]);
        assertThat(packed[packed.length - 4]).isEqualTo((float) weights.outputWeights()[0]);
        assertThat(packed[packed.length - 1]).isEqualTo((float) weights.outputBias());
    }

    @Test
    void onAGpuTheKernelMatchesTheCpuPath() {
        if (!driverPresent()) {
            return; // covered by the test above; bench/gpu-check.sh runs this comparison on the lent GPU
        }
        LstmWeights weights = GpuCheck.randomWeights(16, 2, 3L);
        int steps = 30;
        int batch = 300;
        float[] windows = GpuCheck.windows(batch, steps, 1L);
        LstmForwardPass cpu = new LstmForwardPass(weights);
        float[] out = new float[batch];
        try (CudaDevice device = CudaDevice.open(0);
             CudaLstmBatchInference gpu = new CudaLstmBatchInference(device,
                     CudaKernelImage.compileWithNvrtc(device), weights, steps, batch)) {
            gpu.predict(windows, batch, out);
        }
        double[] window = new double[steps];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                window[t] = windows[b * steps + t];
            }
            assertThat((double) out[b]).as("window %d", b).isCloseTo(cpu.predict(window), within(1e-5));
        }
    }
}
