// Batched LSTM forward pass over fixed-length windows, one kernel launch for the whole window.
//
// The same network as dev.anomaly.models.lstm.LstmForwardPass (DL4J's LSTM layout: gate blocks in the order block
// input (tanh), forget, output, input gate (sigmoid); dense output on the last layer's final hidden state), in float.
//
// Thread (j, s) of a block owns hidden unit j of sequence s: it keeps that unit's cell state in a register for every
// layer, and the block shares the hidden vectors in shared memory. blockDim = (hidden, sequences per block).
//
// params holds, per layer l: W [nIn][4n], RW [n][4n], b [4n] (row-major, nIn = 1 for the first layer, n after it),
// then the output weights [n] and the output bias.
// Compiled by bench/gpu-check.sh with nvcc (fatbin) or at run time by NVRTC (CudaKernelImage).

#define MAX_LAYERS 8

__device__ __forceinline__ float sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

// Adds unit j's four gate pre-activations for the input vector v[0 .. count-1] through weights W [count][4n].
__device__ __forceinline__ void addGates(const float* v, const float* __restrict__ W, int count, int n, int j,
                                         float& zBlock, float& zForget, float& zOut, float& zIn) {
    const int g4 = 4 * n;
    for (int i = 0; i < count; i++) {
        const float x = v[i];
        const float* w = W + i * g4;
        zBlock += x * w[j];
        zForget += x * w[n + j];
        zOut += x * w[2 * n + j];
        zIn += x * w[3 * n + j];
    }
}

extern "C" __global__ void lstm_forward(const float* __restrict__ windows, float* __restrict__ out,
                                        const float* __restrict__ params, int batch, int steps, int n, int layers) {
    extern __shared__ float hidden[];  // [sequences per block][layers][n]
    const int j = threadIdx.x;
    const int s = threadIdx.y;
    const int seq = blockIdx.x * blockDim.y + s;
    const bool active = seq < batch;
    const int g4 = 4 * n;
    float cell[MAX_LAYERS];
    float* h = hidden + (size_t) s * layers * n;
    for (int l = 0; l < layers; l++) {
        cell[l] = 0.0f;
        h[l * n + j] = 0.0f;
    }
    __syncthreads();
    const float* x = windows + (size_t) (active ? seq : 0) * steps;
    for (int t = 0; t < steps; t++) {
        const float xt = active ? x[t] : 0.0f;
        const float* p = params;
        for (int l = 0; l < layers; l++) {
            const int nIn = l == 0 ? 1 : n;
            const float* W = p;
            const float* RW = W + nIn * g4;
            const float* b = RW + n * g4;
            p = b + g4;
            float zBlock = b[j], zForget = b[n + j], zOut = b[2 * n + j], zIn = b[3 * n + j];
            addGates(l == 0 ? &xt : h + (l - 1) * n, W, nIn, n, j, zBlock, zForget, zOut, zIn);
            addGates(h + l * n, RW, n, n, j, zBlock, zForget, zOut, zIn);
            __syncthreads();  // every unit has read the previous hidden vector of this layer
            const float c = sigmoidf(zForget) * cell[l] + sigmoidf(zIn) * tanhf(zBlock);
            cell[l] = c;
            h[l * n + j] = sigmoidf(zOut) * tanhf(c);
            __syncthreads();  // the new hidden vector is visible to the next layer and the next step
        }
    }
    if (active && j == 0) {
        const float* outW = params;
        for (int l = 0; l < layers; l++) {
            outW += (l == 0 ? 1 : n) * g4 + n * g4 + g4;
        }
        const float* last = h + (layers - 1) * n;
        float y = outW[n];
        for (int k = 0; k < n; k++) {
            y += last[k] * outW[k];
        }
        out[seq] = y;
    }
}
