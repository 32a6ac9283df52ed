package dev.anomaly.gpu;

/** A CUDA driver, NVRTC or JavaCPP call failed; the message names the call and CUDA's own error text. */
public class CudaException extends RuntimeException {

    public CudaException(String message) {
        super(message);
    }

    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}
