package dev.anomaly.gpu;

/**
 * No usable CUDA GPU on this machine: the driver library is missing, no device is visible, or the driver is older
 * than the CUDA 13 bindings need. Its message says which, and what to do instead (run on the CPU path).
 */
public final class CudaUnavailableException extends CudaException {

    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
