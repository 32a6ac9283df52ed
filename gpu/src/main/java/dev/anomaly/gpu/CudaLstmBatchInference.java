package dev.anomaly.gpu;

import static dev.anomaly.gpu.CudaDevice.check;
import static org.bytedeco.cuda.global.cudart.CU_EVENT_DEFAULT;
import static org.bytedeco.cuda.global.cudart.cuCtxSynchronize;
import static org.bytedeco.cuda.global.cudart.cuEventCreate;
import static org.bytedeco.cuda.global.cudart.cuEventDestroy;
import static org.bytedeco.cuda.global.cudart.cuEventElapsedTime;
import static org.bytedeco.cuda.global.cudart.cuEventRecord;
import static org.bytedeco.cuda.global.cudart.cuEventSynchronize;
import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuMemAlloc;
import static org.bytedeco.cuda.global.cudart.cuMemFree;
import static org.bytedeco.cuda.global.cudart.cuMemcpyDtoH;
import static org.bytedeco.cuda.global.cudart.cuMemcpyHtoD;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cuModuleUnload;

import dev.anomaly.models.lstm.LstmLayerWeights;
import dev.anomaly.models.lstm.LstmWeights;
import java.util.List;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * LSTM inference for many windows in one kernel launch on a CUDA GPU: the same network and the same weights as
 * {@link dev.anomaly.models.lstm.LstmForwardPass} (the CPU path), in float, for batches of up to {@code maxBatch}
 * windows of {@code steps} values each. The weights stay on the GPU; each {@link #predict} copies the windows in and
 * the predictions out. Not thread-safe: one instance per thread (each call makes the device's context current).
 */
public final class CudaLstmBatchInference implements AutoCloseable {

    /** Most layers the kernel keeps cell state for (MAX_LAYERS in lstm_forward.cu). */
    public static final int MAX_LAYERS = 8;
    /** Threads per block the launch aims for (hidden units × windows per block). */
    private static final int TARGET_THREADS_PER_BLOCK = 256;

    private final CudaDevice device;
    private final int steps;
    private final int maxBatch;
    private final int hidden;
    private final int layers;
    private final int windowsPerBlock;
    private final CUmod_st module;
    private final CUfunc_st function;
    private final long params;
    private final long windowsBuffer;
    private final long outBuffer;
    private final FloatPointer hostWindows;
    private final FloatPointer hostOut;
    /** The kernel's arguments, built once: only the batch size changes between launches. */
    private final IntPointer batchArg = new IntPointer(1);
    private final PointerPointer<Pointer> launchArgs;
    private final Pointer[] argStorage;
    private boolean closed;

    /**
     * Uploads {@code weights} and allocates device buffers for {@code maxBatch} windows of {@code steps} values.
     *
     * @throws IllegalArgumentException if the network is not univariate with equal hidden sizes of at most
     *                                  {@link #MAX_LAYERS} layers
     */
    public CudaLstmBatchInference(CudaDevice device, CudaKernelImage kernel, LstmWeights weights, int steps,
                                  int maxBatch) {
        if (steps < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("steps and maxBatch must be >= 1, got " + steps + " and " + maxBatch);
        }
        List<LstmLayerWeights> ls = weights.layers();
        if (ls.get(0).inputSize() != 1) {
            throw new IllegalArgumentException("the GPU path is univariate: the first layer must take 1 input, got "
                    + ls.get(0).inputSize());
        }
        if (ls.size() > MAX_LAYERS) {
            throw new IllegalArgumentException("the GPU path supports at most " + MAX_LAYERS + " layers, got "
                    + ls.size());
        }
        int n = ls.get(0).hiddenSize();
        for (LstmLayerWeights layer : ls) {
            if (layer.hiddenSize() != n) {
                throw new IllegalArgumentException("the GPU path needs the same hidden size in every layer, got "
                        + layer.hiddenSize() + " and " + n);
            }
        }
        if (n > 1024) {
            throw new IllegalArgumentException("the GPU path supports at most 1024 hidden units, got " + n);
        }
        this.device = device;
        this.steps = steps;
        this.maxBatch = maxBatch;
        this.hidden = n;
        this.layers = ls.size();
        this.windowsPerBlock = Math.max(1, TARGET_THREADS_PER_BLOCK / n);
        device.makeCurrent();
        module = new CUmod_st();
        check(cuModuleLoadData(module, new BytePointer(kernel.image())), "cuModuleLoadData(" + kernel.origin() + ")");
        function = new CUfunc_st();
        check(cuModuleGetFunction(function, module, CudaKernelImage.ENTRY_POINT), "cuModuleGetFunction");
        float[] packed = pack(weights);
        params = alloc(4L * packed.length);
        try (FloatPointer host = new FloatPointer(packed)) {
            check(cuMemcpyHtoD(params, host, 4L * packed.length), "cuMemcpyHtoD(weights)");
        }
        windowsBuffer = alloc(4L * maxBatch * steps);
        outBuffer = alloc(4L * maxBatch);
        hostWindows = new FloatPointer((long) maxBatch * steps);
        hostOut = new FloatPointer(maxBatch);
        argStorage = new Pointer[] {new LongPointer(1).put(windowsBuffer), new LongPointer(1).put(outBuffer),
                new LongPointer(1).put(params), batchArg, new IntPointer(1).put(steps), new IntPointer(1).put(hidden),
                new IntPointer(1).put(layers)};
        launchArgs = new PointerPointer<>(argStorage);
    }

    /**
     * The weights in the kernel's layout: per layer W [nIn][4n], RW [n][4n], b [4n], then the output weights and
     * bias, as float.
     */
    static float[] pack(LstmWeights weights) {
        int size = 0;
        for (LstmLayerWeights l : weights.layers()) {
            size += l.inputWeights().length + l.recurrentWeights().length + l.bias().length;
        }
        size += weights.outputWeights().length + 1;
        float[] packed = new float[size];
        int at = 0;
        for (LstmLayerWeights l : weights.layers()) {
            at = copy(l.inputWeights(), packed, at);
            at = copy(l.recurrentWeights(), packed, at);
            at = copy(l.bias(), packed, at);
        }
        at = copy(weights.outputWeights(), packed, at);
        packed[at] = (float) weights.outputBias();
        return packed;
    }

    private static int copy(double[] from, float[] to, int at) {
        for (double v : from) {
            to[at++] = (float) v;
        }
        return at;
    }

    /**
     * Predicts the value after each window: {@code windows} holds {@code batch} windows of {@code steps()} values,
     * row-major; prediction {@code i} goes to {@code out[i]}.
     */
    public void predict(float[] windows, int batch, float[] out) {
        requireBatch(batch);
        if (windows.length < batch * steps || out.length < batch) {
            throw new IllegalArgumentException("windows must hold " + batch * steps + " values and out " + batch
                    + ", got " + windows.length + " and " + out.length);
        }
        ensureOpen();
        device.makeCurrent();
        hostWindows.position(0).put(windows, 0, batch * steps);
        check(cuMemcpyHtoD(windowsBuffer, hostWindows, 4L * batch * steps), "cuMemcpyHtoD(windows)");
        launch(batch);
        check(cuMemcpyDtoH(hostOut, outBuffer, 4L * batch), "cuMemcpyDtoH(predictions)");
        hostOut.position(0).get(out, 0, batch);
    }

    /**
     * Copies {@code batch} windows to the GPU once, then times {@code repeats} launches on them with CUDA events:
     * the kernel's own throughput, without transfers. Returns milliseconds per launch.
     */
    public double timeResident(float[] windows, int batch, int repeats) {
        requireBatch(batch);
        ensureOpen();
        device.makeCurrent();
        hostWindows.position(0).put(windows, 0, batch * steps);
        check(cuMemcpyHtoD(windowsBuffer, hostWindows, 4L * batch * steps), "cuMemcpyHtoD(windows)");
        launch(batch);
        check(cuCtxSynchronize(), "cuCtxSynchronize");
        CUevent_st start = new CUevent_st();
        CUevent_st stop = new CUevent_st();
        check(cuEventCreate(start, CU_EVENT_DEFAULT), "cuEventCreate");
        check(cuEventCreate(stop, CU_EVENT_DEFAULT), "cuEventCreate");
        try {
            check(cuEventRecord(start, (CUstream_st) null), "cuEventRecord");
            for (int r = 0; r < repeats; r++) {
                launch(batch);
            }
            check(cuEventRecord(stop, (CUstream_st) null), "cuEventRecord");
            check(cuEventSynchronize(stop), "cuEventSynchronize");
            float[] ms = new float[1];
            check(cuEventElapsedTime(ms, start, stop), "cuEventElapsedTime");
            return ms[0] / repeats;
        } finally {
            cuEventDestroy(start);
            cuEventDestroy(stop);
        }
    }

    private void launch(int batch) {
        int blocks = (batch + windowsPerBlock - 1) / windowsPerBlock;
        int sharedBytes = 4 * windowsPerBlock * layers * hidden;
        batchArg.put(batch);
        check(cuLaunchKernel(function, blocks, 1, 1, hidden, windowsPerBlock, 1, sharedBytes,
                (CUstream_st) null, launchArgs, (PointerPointer<?>) null), "cuLaunchKernel(lstm_forward)");
    }

    private void requireBatch(int batch) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must be in 1.." + maxBatch + ", got " + batch);
        }
    }

    public int steps() {
        return steps;
    }

    public int maxBatch() {
        return maxBatch;
    }

    private long alloc(long bytes) {
        long[] ptr = new long[1];
        check(cuMemAlloc(ptr, bytes), "cuMemAlloc(" + bytes + " bytes)");
        return ptr[0];
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this GPU inference is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        device.makeCurrent();
        cuMemFree(windowsBuffer);
        cuMemFree(outBuffer);
        cuMemFree(params);
        cuModuleUnload(module);
        hostWindows.close();
        hostOut.close();
        launchArgs.close();
        for (Pointer arg : argStorage) {
            arg.close();
        }
    }
}
