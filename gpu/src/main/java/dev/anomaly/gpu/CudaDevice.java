package dev.anomaly.gpu;

import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static org.bytedeco.cuda.global.cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static org.bytedeco.cuda.global.cudart.cuCtxSetCurrent;
import static org.bytedeco.cuda.global.cudart.cuDeviceGet;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetAttribute;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetName;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRelease;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRetain;
import static org.bytedeco.cuda.global.cudart.cuDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cuGetErrorString;
import static org.bytedeco.cuda.global.cudart.cuInit;

import java.nio.charset.StandardCharsets;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One CUDA GPU through the driver API, with its primary context made current on the calling thread. Opening it on a
 * machine without a usable GPU throws {@link CudaUnavailableException} with a one-line reason instead of a linkage
 * stack trace.
 */
public final class CudaDevice implements AutoCloseable {

    private final int ordinal;
    private final int device;
    private final CUctx_st context;
    private final String name;
    private final int computeMajor;
    private final int computeMinor;
    private final int driverVersion;
    private boolean closed;

    private CudaDevice(int ordinal, int device, CUctx_st context, String name, int major, int minor, int driver) {
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
        this.name = name;
        this.computeMajor = major;
        this.computeMinor = minor;
        this.driverVersion = driver;
    }

    /** Opens GPU {@code ordinal} (0 = the first visible one). */
    public static CudaDevice open(int ordinal) {
        loadBindings();
        int rc = cuInit(0);
        if (rc != CUDA_SUCCESS) {
            throw new CudaUnavailableException("no usable CUDA GPU: cuInit failed with " + errorText(rc)
                    + " (is an NVIDIA driver for CUDA 13 installed and a GPU visible?); use the CPU path", null);
        }
        int[] driver = new int[1];
        check(cuDriverGetVersion(driver), "cuDriverGetVersion");
        int[] dev = new int[1];
        rc = cuDeviceGet(dev, ordinal);
        if (rc != CUDA_SUCCESS) {
            throw new CudaUnavailableException("no usable CUDA GPU: device " + ordinal + " is not visible ("
                    + errorText(rc) + "); use the CPU path", null);
        }
        byte[] nameBytes = new byte[256];
        check(cuDeviceGetName(nameBytes, nameBytes.length, dev[0]), "cuDeviceGetName");
        int[] major = new int[1];
        int[] minor = new int[1];
        check(cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev[0]), "cuDeviceGetAttribute");
        check(cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev[0]), "cuDeviceGetAttribute");
        CUctx_st ctx = new CUctx_st();
        check(cuDevicePrimaryCtxRetain(ctx, dev[0]), "cuDevicePrimaryCtxRetain");
        check(cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
        return new CudaDevice(ordinal, dev[0], ctx, cString(nameBytes), major[0], minor[0], driver[0]);
    }

    /** Loads JavaCPP's CUDA bindings, which link libcuda.so.1 and libcudart.so.13 from the system. */
    private static void loadBindings() {
        try {
            Loader.load(cudart.class);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new CudaUnavailableException("no usable CUDA GPU: the CUDA 13 driver libraries could not be"
                    + " loaded (" + oneLine(root.getMessage()) + "); this path needs an NVIDIA driver"
                    + " (libcuda.so.1) and the CUDA 13 runtime (libcudart.so.13) on LD_LIBRARY_PATH; use the CPU path",
                    e);
        }
    }

    /** Makes this device's context current on the calling thread (needed once per thread). */
    public void makeCurrent() {
        ensureOpen();
        check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    public String name() {
        return name;
    }

    public int ordinal() {
        return ordinal;
    }

    /** Compute capability, e.g. 90 for 9.0 (Hopper). */
    public int computeCapability() {
        return computeMajor * 10 + computeMinor;
    }

    /** The driver's CUDA version as {@code major * 1000 + minor * 10}, e.g. 13000. */
    public int driverVersion() {
        return driverVersion;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cuDevicePrimaryCtxRelease(device);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("CUDA device " + ordinal + " is closed");
        }
    }

    /** Throws {@link CudaException} naming {@code call} unless {@code rc} is CUDA_SUCCESS. */
    static void check(int rc, String call) {
        if (rc != CUDA_SUCCESS) {
            throw new CudaException(call + " failed: " + errorText(rc));
        }
    }

    static String errorText(int rc) {
        try (PointerPointer<BytePointer> holder = new PointerPointer<>(1)) {
            if (cuGetErrorString(rc, holder) != CUDA_SUCCESS) {
                return "CUDA error " + rc;
            }
            BytePointer text = holder.get(BytePointer.class, 0);
            return text == null || text.isNull() ? "CUDA error " + rc
                    : text.getString(StandardCharsets.UTF_8) + " (" + rc + ")";
        }
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static String oneLine(String s) {
        return s == null ? "no detail" : s.replaceAll("\\s+", " ").trim();
    }

    @Override
    public String toString() {
        return name + " (compute capability " + computeMajor + "." + computeMinor + ", driver CUDA "
                + driverVersion / 1000 + "." + (driverVersion % 1000) / 10 + ")";
    }
}
