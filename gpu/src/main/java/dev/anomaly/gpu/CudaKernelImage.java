package dev.anomaly.gpu;

import static org.bytedeco.cuda.global.nvrtc.NVRTC_SUCCESS;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCompileProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCreateProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcDestroyProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetErrorString;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetPTX;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetPTXSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLog;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLogSize;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The compiled LSTM kernel in a form {@code cuModuleLoadData} takes: a fatbin built ahead of time by {@code nvcc}
 * (what bench/gpu-check.sh does), or PTX compiled at run time by NVRTC from the kernel source shipped in this jar.
 *
 * @param image  the module image (fatbin, cubin or NUL-terminated PTX)
 * @param origin where it came from, for logs
 */
public record CudaKernelImage(byte[] image, String origin) {

    /** The kernel source inside this jar. */
    public static final String SOURCE_RESOURCE = "lstm_forward.cu";
    /** The kernel's entry point. */
    public static final String ENTRY_POINT = "lstm_forward";

    public CudaKernelImage {
        if (image == null || image.length == 0) {
            throw new IllegalArgumentException("empty CUDA module image from " + origin);
        }
    }

    /** A fatbin/cubin/PTX file, e.g. {@code nvcc -fatbin -o lstm_forward.fatbin lstm_forward.cu}. */
    public static CudaKernelImage fromFile(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (file.getFileName().toString().endsWith(".ptx")) {
                bytes = nulTerminated(bytes);
            }
            return new CudaKernelImage(bytes, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CUDA kernel image " + file, e);
        }
    }

    /** The kernel source text shipped in this jar. */
    public static String source() {
        try (InputStream in = CudaKernelImage.class.getResourceAsStream(SOURCE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + SOURCE_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Compiles the shipped source to PTX for {@code device}'s compute capability with NVRTC (libnvrtc.so.13 must be
     * on the library path).
     */
    public static CudaKernelImage compileWithNvrtc(CudaDevice device) {
        try {
            Loader.load(nvrtc.class);
        } catch (UnsatisfiedLinkError e) {
            throw new CudaException("NVRTC (libnvrtc.so.13) could not be loaded: " + e.getMessage()
                    + "; build the kernel with nvcc instead (bench/gpu-check.sh shows how)", e);
        }
        int cc = device.computeCapability();
        _nvrtcProgram program = new _nvrtcProgram();
        checkNvrtc(nvrtcCreateProgram(program, new BytePointer(source()), new BytePointer(SOURCE_RESOURCE), 0,
                (PointerPointer<?>) null, (PointerPointer<?>) null), "nvrtcCreateProgram", null);
        try {
            String[] options = {"--gpu-architecture=compute_" + cc, "--std=c++17"};
            int rc = nvrtcCompileProgram(program, options.length, new PointerPointer<>(options));
            checkNvrtc(rc, "nvrtcCompileProgram", program);
            SizeTPointer size = new SizeTPointer(1);
            checkNvrtc(nvrtcGetPTXSize(program, size), "nvrtcGetPTXSize", program);
            byte[] ptx = new byte[(int) size.get()];
            checkNvrtc(nvrtcGetPTX(program, ptx), "nvrtcGetPTX", program);
            return new CudaKernelImage(nulTerminated(ptx), "NVRTC compute_" + cc);
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private static void checkNvrtc(int rc, String call, _nvrtcProgram program) {
        if (rc == NVRTC_SUCCESS) {
            return;
        }
        String log = "";
        if (program != null) {
            SizeTPointer size = new SizeTPointer(1);
            if (nvrtcGetProgramLogSize(program, size) == NVRTC_SUCCESS && size.get() > 1) {
                byte[] text = new byte[(int) size.get()];
                nvrtcGetProgramLog(program, text);
                log = ": " + new String(text, 0, text.length - 1, StandardCharsets.UTF_8).trim();
            }
        }
        throw new CudaException(call + " failed: " + nvrtcGetErrorString(rc).getString() + log);
    }

    private static byte[] nulTerminated(byte[] bytes) {
        if (bytes.length > 0 && bytes[bytes.length - 1] == 0) {
            return bytes;
        }
        byte[] copy = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, copy, 0, bytes.length);
        return copy;
    }
}
