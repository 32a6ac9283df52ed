#!/usr/bin/env bash
# Reproduces every figure in docs/EVALUATION.md: bin/anomaly evaluate over the shared NAB files and SMD machines
# for each detector mode. Logs and outputs go under OUT (default /tmp/anomaly-eval); each log ends with the
# scores and the wall time. Run after `mvn -B -ntp package -DskipTests`. Takes about 40 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${SHARED:-$root/../shared}"
out="${OUT:-/tmp/anomaly-eval}"
modes="${MODES:-zscore sarima lstm hybrid}"
mkdir -p "$out"
export OMP_NUM_THREADS=1   # ND4J's own threads only slow small networks down on 2 cores
for mode in $modes; do
  echo "== NAB $mode"
  "$root/bin/anomaly" evaluate --input "$shared/data/nab/data" --out "$out/nab-$mode" --mode "$mode" \
    --labels "$shared/data/nab/labels.json" > "$out/nab-$mode.log"
  tail -12 "$out/nab-$mode.log"
done
for mode in $modes; do
  echo "== SMD $mode"
  "$root/bin/anomaly" evaluate --format smd --input "$shared/data/smd" --out "$out/smd-$mode" --mode "$mode" \
    > "$out/smd-$mode.log"
  tail -14 "$out/smd-$mode.log"
done
