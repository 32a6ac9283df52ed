#!/usr/bin/env bash
# Soak test: the whole detection job on a MiniCluster in one JVM, fed by a rate-limited generator of
# synthetic seasonal series, sampled at fixed intervals into a Markdown table (bench/soak/<date>.md).
#
#   scripts/soak.sh [--series 10000] [--rate 1] [--duration 1h] [--sample-every 60s] [--parallelism 2]
#                   [--seq-len 60] [--checkpoint-interval 30s] [--report FILE.md] [--heap 3g]
#
# Every row: heap used/committed, size of the last completed checkpoint, event-time lag (now - newest
# event time processed), latency p50/p99 (sample created -> result), samples generated / results per second.
# The model is trained up front (hybrid, synthetic series) and loaded through model-path: no self-training.
# Needs the built job jar (mvn -B package -DskipTests), like bin/anomaly.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/job/target/anomaly-job.jar"
cp_file="$root/job/target/cli.classpath"
heap="3g"
report=""
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --heap) heap="${2:?--heap needs a value like 3g}"; shift 2 ;;
    --report) report="${2:?--report needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [[ ! -f "$jar" || ! -f "$cp_file" ]]; then
  echo "soak: $jar is not built; run 'mvn -B package -DskipTests' in $root first" >&2
  exit 2
fi
if [[ -z "$report" ]]; then
  report="$root/bench/soak/$(date -u +%Y-%m-%dT%H%MZ).md"
fi
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "soak: report -> $report" >&2
# shellcheck disable=SC2086
exec "$java_bin" -Xms"$heap" -Xmx"$heap" ${ANOMALY_JAVA_OPTS:--XX:+UseG1GC} \
  -Dlog4j2.configurationFile="${ANOMALY_LOG_CONFIG:-$root/deploy/local/cli-log4j2.properties}" \
  -Dorg.nd4j.log.initialization=false \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  -cp "$jar:$(cat "$cp_file")" dev.anomaly.job.bench.SoakRun --report "$report" "${args[@]}"
