#!/usr/bin/env bash
# GPU check of the batched LSTM inference path (module gpu/): results equal to the CPU path within 1e-5 and
# windows/s at batch sizes 256 ... 65,536, on a GPU machine that has the CUDA 13 driver and runtime but no JVM.
#
#   bench/gpu-check.sh prepare   # here (no GPU needed): builds what must travel into bench/target/gpu-check/
#   bench/gpu-check.sh device    # on the GPU machine, from the repository root: runs the comparison; results in $OUT
#
# What travels (bench/target/gpu-check/, ~40 MiB): a jlink'd Java 17 runtime, the gpu and models jars, JavaCPP
# 1.5.13 and its CUDA 13 bindings (JNI only: they link the system's libcuda.so.1 / libcudart.so.13), the kernel
# compiled here by nvcc as a fatbin (sm_80, sm_90, sm_100, sm_120 + compute_90 PTX), and the weights of an LSTM
# trained here by `bin/anomaly train` (SEQ_LEN 60, default model size) on a NAB series.
# With the `device` tool: run(command="bench/gpu-check.sh device", carry=["bench/target/gpu-check"]).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stage="$root/bench/target/gpu-check"
steps=${GPU_CHECK_STEPS:-60}
batches=${GPU_CHECK_BATCHES:-256,1024,4096,16384,65536}

prepare() {
  command -v nvcc >/dev/null || { echo "gpu-check: nvcc (CUDA 13 toolkit) is needed to build the kernel" >&2; exit 2; }
  command -v jlink >/dev/null || { echo "gpu-check: jlink (a JDK 17) is needed to build the runtime" >&2; exit 2; }
  cd "$root"
  if [[ ! -f job/target/anomaly-job.jar ]]; then
    mvn -B -ntp -q -pl models,sources,operators,job,gpu package -DskipTests
  else
    mvn -B -ntp -q -pl models,gpu package -DskipTests
  fi
  rm -rf "$stage"
  mkdir -p "$stage/lib"
  cp gpu/target/anomaly-gpu-*.jar "$stage/lib/"
  # models without DL4J: the GPU path needs only the plain-Java LSTM classes (the CPU reference and the weights)
  cp gpu/target/gpu-lib/*.jar "$stage/lib/"
  nvcc -fatbin -O3 \
    -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 \
    -gencode arch=compute_100,code=sm_100 -gencode arch=compute_120,code=sm_120 \
    -gencode arch=compute_90,code=compute_90 \
    -o "$stage/lstm_forward.fatbin" gpu/src/main/resources/dev/anomaly/gpu/lstm_forward.cu
  # Weights of a trained detector: the LSTM of `bin/anomaly train` at SEQ_LEN 60 on a NAB series.
  local series="${GPU_CHECK_SERIES:-$root/../shared/data/nab/data/realKnownCause/machine_temperature_system_failure.csv}"
  OMP_NUM_THREADS=1 bin/anomaly train --input "$series" --out "$stage/model.zip" --seq-len "$steps" >/dev/null
  python3 - "$stage/model.zip" "$stage/lstm.bin" <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = sorted(n for n in z.namelist() if n.startswith("lstm/"))
if not names:
    sys.exit("gpu-check: the trained model has no LSTM entry")
open(sys.argv[2], "wb").write(z.read(names[0]))
EOF
  rm -f "$stage/model.zip"
  jlink --add-modules java.base,jdk.unsupported,java.logging --strip-debug --no-man-pages --no-header-files \
        --compress=2 --output "$stage/jre" >/dev/null
  du -sh "$stage" | awk '{print "gpu-check: staged " $1 " in bench/target/gpu-check"}'
}

device() {
  [[ -x "$stage/jre/bin/java" ]] || { echo "gpu-check: run 'bench/gpu-check.sh prepare' first (and carry bench/target/gpu-check)" >&2; exit 2; }
  local out="${OUT:-$root/bench/target/gpu-check-out}"
  mkdir -p "$out"
  export LD_LIBRARY_PATH="/usr/local/cuda/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader > "$out/nvidia-smi.txt" 2>&1 || true
  local java=("$stage/jre/bin/java" -Xmx8g -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp-cache
              -cp "$stage/lib/*" dev.anomaly.gpu.GpuCheck --steps "$steps" --batches "$batches" --out "$out")
  local rc=0
  # 1. the acceptance run: trained weights, nvcc's fatbin
  "${java[@]}" --weights "$stage/lstm.bin" --kernel "$stage/lstm_forward.fatbin" 2>&1 | tee "$out/trained.log" || rc=1
  # 2. the feasibility probe's shape (32 units) and a 2-layer network, to show the kernel is general
  "${java[@]}" --random-hidden 32 --kernel "$stage/lstm_forward.fatbin" 2>&1 | tee "$out/random-h32.log" || rc=1
  "${java[@]}" --random-hidden 16 --layers 2 --kernel "$stage/lstm_forward.fatbin" --batches 4096 2>&1 \
    | tee "$out/random-h16-l2.log" || rc=1
  # 3. the same kernel compiled at run time by NVRTC (for machines without nvcc); informative only
  "${java[@]}" --weights "$stage/lstm.bin" --nvrtc --batches 4096 --out "$out/nvrtc" 2>&1 | tee "$out/nvrtc.log" \
    || echo "gpu-check: the NVRTC variant failed (see nvrtc.log); the fatbin results above stand"
  return $rc
}

case "${1:-}" in
  prepare) prepare ;;
  device) device ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
