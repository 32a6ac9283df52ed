package dev.anomaly.job.graph;

import dev.anomaly.job.config.ConfigException;
import dev.anomaly.job.config.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves DEVICE. LSTM inference in the job is the plain-Java forward pass (CPU). A GPU path needs ND4J's CUDA
 * backend on the classpath (the {@code cuda} Maven profile) and a GPU it supports; without one, {@code auto} falls
 * back to the CPU with one log line and {@code cuda} fails at start.
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
        return "the CUDA backend is present but GPU inference in the streaming job is not implemented in this build";
    }
}
