#!/usr/bin/env bash
# How long the detection operator's processing thread spends on self-training, with the full training on the
# processing path (warmup.training-lag-samples=0) and in the background (the default lag, 1 and 2 threads).
#
# Replays the first ROWS rows of 8 NAB series (5-minute spacing) at RATE lines per second per file through
# `bin/anomaly run` (embedded MiniCluster, parallelism 1, no MODEL_PATH: every series self-trains, SARIMA at 12
# samples, the full hybrid at 120), polls the Prometheus reporter while it runs and prints, per setting, the
# operator's self_trainings, self_training_wait_ms and the wall time of the run. The files span different dates,
# so the samples are scored on arrival (scoring.ordering=arrival), not held back by the watermark of the oldest.
#
# usage: bench/self-training.sh [RATE] [ROWS] [LAG:THREADS ...]
#        (defaults 2, 200 and the settings 0:1 10:1 10:2: about 100 s per setting)
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${1:-2}
ROWS=${2:-200}
PORT=${BENCH_REPORTER_PORT:-19349}
UI_PORT=${BENCH_UI_PORT:-18181}
NAB=../shared/data/nab/data
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
for f in artificialWithAnomaly/art_daily_flatmiddle artificialWithAnomaly/art_daily_jumpsdown \
         artificialWithAnomaly/art_daily_jumpsup artificialWithAnomaly/art_daily_nojump \
         artificialWithAnomaly/art_increase_spike_density artificialWithAnomaly/art_load_balancer_spikes \
         realKnownCause/machine_temperature_system_failure realKnownCause/ec2_request_latency_system_failure; do
    head -n $((ROWS + 1)) "$NAB/$f.csv" > "$DATA/$(basename "$f").csv"
done

metric() { # sum of an anomaly_detector metric over the scrape in $1
    awk -v m="_anomaly_detector_$2" 'index($0, m "{") > 0 && $0 !~ /^#/ { s += $NF } END { printf "%.0f", s }' "$1"
}

run() { # lag threads
    local scrape=$DATA/scrape last=$DATA/last log=$DATA/log start end pid
    : > "$last"
    start=$(date +%s.%N)
    OMP_NUM_THREADS=1 bin/anomaly run --set source.type=replay --set "source.replay.path=$DATA" \
        --set "source.replay.rate=$RATE" --set fetch-interval=5m --set flink.parallelism=1 \
        --set scoring.ordering=arrival \
        --set "warmup.training-lag-samples=$1" --set "warmup.training-threads=$2" \
        --set "metrics.reporter-port=$PORT" --set "flink.web-ui-port=$UI_PORT" --set sinks.log.enabled=false \
        > "$log" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        if curl -sf "http://127.0.0.1:$PORT/metrics" > "$scrape" 2>/dev/null \
                && grep -q anomaly_detector_samples_processed "$scrape"; then
            cp "$scrape" "$last"
        fi
        sleep 0.5
    done
    wait "$pid" || { echo "run failed (lag $1, threads $2):"; tail -20 "$log"; exit 1; }
    end=$(date +%s.%N)
    printf '| %s | %s | %s | %s | %s | %.0f |\n' "$1" "$2" "$(metric "$last" samples_processed)" \
        "$(metric "$last" self_trainings)" "$(metric "$last" self_training_wait_ms)" "$(echo "$end - $start" | bc)"
}

echo "8 series x $ROWS rows at $RATE rows/s per file; $(date -u +%Y-%m-%dT%H:%MZ), $(git rev-parse --short HEAD)"
echo
echo "| training-lag-samples | training-threads | samples processed (last scrape) | self_trainings | self_training_wait_ms | wall s |"
echo "|---:|---:|---:|---:|---:|---:|"
shift $(( $# < 2 ? $# : 2 ))
SETTINGS=("$@")
[ ${#SETTINGS[@]} -gt 0 ] || SETTINGS=(0:1 10:1 10:2)
for setting in "${SETTINGS[@]}"; do
    run "${setting%%:*}" "${setting##*:}"
done
