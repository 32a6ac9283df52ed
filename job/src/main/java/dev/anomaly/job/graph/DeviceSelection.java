package dev.anomaly.job.graph;

import dev.anomaly.job.config.ConfigException;
import dev.anomaly.job.config.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves DEVICE. A GPU needs ND4J's CUDA backend on the classpath (build with the {@code cuda} Maven profile:
 * ND4J 1.0.0-M2.1 for CUDA 11.6, GPUs of compute capability up to 8.6), which DL4J then uses for training
 * (self-training and {@code bin/anomaly train}); per-sample LSTM inference is the plain-Java forward pass either
 * way. Without the backend, {@code auto} falls back to the CPU with one log line and {@code cuda} fails at start
 * naming the fix.
 */
public final class DeviceSelection {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSelection.class);
    static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";

    private DeviceSelection() {
    }

    /** The device inference will use: always {@link Device#CPU} unless a usable GPU backend is present. */
    public static Device resolve(Device requested) {
        String problem = gpuProblem();
        return switch (requested) {
            case CPU -> Device.CPU;
            case AUTO -> {
                if (problem != null) {
                    LOG.info("DEVICE=auto: {}; LSTM inference runs on the CPU", problem);
                    yield Device.CPU;
                }
                LOG.info("DEVICE=auto: ND4J's CUDA backend is present; DL4J training uses it");
                yield Device.CUDA;
            }
            case CUDA -> {
                if (problem != null) {
                    throw new ConfigException("config key 'device' is cuda but " + problem + " (build with"
                            + " -Pcuda for ND4J's CUDA 11.6 backend on a GPU of compute capability <= 8.6, or set"
                            + " device: cpu or auto)");
                }
                yield Device.CUDA;
            }
        };
    }

    /** Why no GPU can be used, or null if one can. */
    static String gpuProblem() {
        try {
            Class.forName(CUDA_BACKEND, false, DeviceSelection.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "this build has no CUDA backend (ND4J CPU backend only)";
        }
        return null;
    }
}
