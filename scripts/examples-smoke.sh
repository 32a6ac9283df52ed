#!/usr/bin/env bash
# Acceptance check of the documented examples against the real services of scripts/services.sh:
#   victoriametrics  `bin/anomaly run --config examples/victoriametrics.yaml` must show scored per-series gauges for
#                    the features cpu and memory on the reporter, write scores back into VictoriaMetrics
#                    (anomaly_detector_score samples stamped after this run started), show the job RUNNING in the
#                    Web UI and stop within 30 s of Ctrl-C. Needs node-exporter + victoriametrics running.
#   kafka            `bin/anomaly scrape-to-kafka` publishing the node-exporter's scrapes, and
#                    `bin/anomaly run --config examples/kafka.yaml` must show scored gauges for cpu_idle and memory,
#                    write JSON results (series, numeric score) to the result topic, readable with read_committed
#                    (kcat), show the job RUNNING and stop within 30 s of Ctrl-C. Needs node-exporter + kafka.
# The services are NOT started here: a missing one fails the check with the `scripts/services.sh start ...` line
# that starts it. Ports other than services.sh's defaults are read, as there, from ANOMALY_VM_PORT,
# ANOMALY_NODE_EXPORTER_PORT and ANOMALY_KAFKA_PORT. The examples run as written except for the Web UI and reporter
# ports (EXAMPLES_SMOKE_UI_PORT, default 18181; EXAMPLES_SMOKE_REPORTER_PORT, default 19349, so a run on 8081/9249
# cannot answer for this one), service addresses on other ports, and for kafka topics, consumer group and
# transactional ids with a per-run suffix, so that old data cannot pass the check.
#
# usage: scripts/examples-smoke.sh [victoriametrics] [kafka]   (no name: both)
# EXAMPLES_SMOKE_LIMIT_SECONDS (default 180): time per example from the start of the run to the last assertion.
# Prints the time to the first scored gauge per example; on failure exits 1 with the tail of the run's log.
# Needs the built jar (mvn package), curl, python3, and kcat for kafka (scripts/services.sh install installs it).
set -euo pipefail
# Ctrl-C is SIGINT, and a process started with SIGINT ignored keeps ignoring it: the JVM then installs no handler,
# kill -INT does nothing and the run goes on. A non-interactive shell starts its background commands that way. Job
# control (set -m) spares the runs that only if this script did not itself inherit SIGINT ignored, which it does
# when something above it was started in the background (`.ci/run >log 2>&1 &`); bash cannot reset a signal ignored
# on entry. So each run is started through `env --default-signal=INT` (coreutils 8.31+), and checked before the
# Ctrl-C.
set -m
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/run-checks.sh
source "$root/scripts/lib/run-checks.sh"
limit=${EXAMPLES_SMOKE_LIMIT_SECONDS:-180}
ui_port=${EXAMPLES_SMOKE_UI_PORT:-18181}
reporter_port=${EXAMPLES_SMOKE_REPORTER_PORT:-19349}
# The services' addresses: the examples are written for scripts/services.sh's default ports; other ports (set, as
# for services.sh, by ANOMALY_VM_PORT, ANOMALY_NODE_EXPORTER_PORT, ANOMALY_KAFKA_PORT) are passed to the run with --set.
vm_port=${ANOMALY_VM_PORT:-18428}
node_exporter_port=${ANOMALY_NODE_EXPORTER_PORT:-19100}
kafka_port=${ANOMALY_KAFKA_PORT:-19092}
vm_url=http://127.0.0.1:$vm_port
node_exporter_url=http://127.0.0.1:$node_exporter_port/metrics
brokers=127.0.0.1:$kafka_port
# The `scripts/services.sh start` line for a missing service, with the port settings in effect.
services_env=""
[[ $vm_port == 18428 ]] || services_env+="ANOMALY_VM_PORT=$vm_port "
[[ $node_exporter_port == 19100 ]] || services_env+="ANOMALY_NODE_EXPORTER_PORT=$node_exporter_port "
[[ $kafka_port == 19092 ]] || services_env+="ANOMALY_KAFKA_PORT=$kafka_port "
work="$(mktemp -d)"
prefix=flink_taskmanager_job_task_operator_anomaly_detector_feature_instance_series

pids=()
forget() { # pid: a child that has been waited for
  local kept=() p
  for p in "${pids[@]}"; do [[ "$p" == "$1" ]] || kept+=("$p"); done
  pids=("${kept[@]}")
}
cleanup() {
  terminate "${pids[@]}"
  rm -rf "$work"
}
trap cleanup EXIT

example=""
run_pid=""
run_log=""
fail() {
  echo "examples-smoke[$example]: $*" >&2
  if [[ -n "$run_log" && -f "$run_log" ]]; then
    echo "--- last 40 lines of $run_log (cut at 300 characters)" >&2; tail -n 40 "$run_log" | cut -c1-300 >&2
  fi
  if [[ -f "$work/scrape-to-kafka.log" ]]; then
    echo "--- last 10 lines of $work/scrape-to-kafka.log" >&2; tail -n 10 "$work/scrape-to-kafka.log" | cut -c1-300 >&2
    echo "---" >&2; echo "examples-smoke[$example]: FAILED: $*" >&2
  elif [[ -n "$run_log" ]]; then
    echo "---" >&2; echo "examples-smoke[$example]: FAILED: $*" >&2
  fi
  exit 1
}
say() { echo "examples-smoke[$example]: $*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

need_node_exporter() {
  # (bodies are read whole before grep -q: with pipefail, curl's SIGPIPE would fail the check)
  local body
  body="$(curl -sf --max-time 3 "$node_exporter_url" 2>/dev/null || true)"
  grep -q '^node_load1 ' <<<"$body" \
    || fail "no node-exporter on $node_exporter_url; start it with: ${services_env}scripts/services.sh start $1"
}

# The scored per-series gauges (warming_up 0, score a number) of the given features on the reporter: prints one
# "feature: series=... score=..." per feature and exits 0 when every feature has one.
scored_features() {
  curl -sf --max-time 3 "http://127.0.0.1:$reporter_port/metrics" 2>/dev/null | python3 -c '
import math, re, sys
prefix, wanted = sys.argv[1], sys.argv[2:]
line_re = re.compile(r"^(\w+)\{(.*)\} (\S+)$")
warming, score = {}, {}
for line in sys.stdin:
    m = line_re.match(line.strip())
    if not m:
        continue
    name, labels, value = m.groups()
    if name == prefix + "_warming_up":
        warming[labels] = float(value)
    elif name == prefix + "_score":
        score[labels] = float(value)
found = {}
for labels, value in score.items():
    label = dict(re.findall(r"(\w+)=\"((?:[^\"\\]|\\.)*)\"", labels))
    if "feature" in label and warming.get(labels) == 0.0 and not math.isnan(value):
        series = label.get("series", "").replace(chr(92) + chr(34), chr(34))
        found.setdefault(label["feature"], f"series={series} score={value}")
for f in wanted:
    if f in found:
        print(f"{f}: {found[f]}")
sys.exit(0 if all(f in found for f in wanted) else 1)' "$prefix" "$@"
}

# Starts `bin/anomaly run` with the example's config and the extra arguments, waits for scored gauges of the
# features named in $features, then runs the sink check "$1" until it passes, checks the Web UI and stops the run.
run_example() {
  local sink_check="$1"; shift
  port_open "$ui_port" && fail "port $ui_port (EXAMPLES_SMOKE_UI_PORT) is taken"
  port_open "$reporter_port" && fail "port $reporter_port (EXAMPLES_SMOKE_REPORTER_PORT) is taken"
  run_log="$work/run-$example.log"
  run_start_ms=$(( $(date +%s%N) / 1000000 ))
  local start now scored=""
  start=$(date +%s)
  env --default-signal=INT "$root/bin/anomaly" run --config "$root/examples/$example.yaml" \
    --set "flink.web-ui-port=$ui_port" --set "metrics.reporter-port=$reporter_port" "$@" >"$run_log" 2>&1 &
  run_pid=$!
  pids+=("$run_pid")
  say "bin/anomaly run --config examples/$example.yaml (pid $run_pid, Web UI :$ui_port, reporter :$reporter_port)"
  while :; do
    kill -0 "$run_pid" 2>/dev/null || fail "bin/anomaly run exited early"
    if scored="$(scored_features $features)"; then break; fi
    (( $(date +%s) - start < limit )) \
      || fail "no scored gauge for every feature of [$features] on :$reporter_port/metrics after ${limit}s (have: ${scored:-none})"
    sleep 2
  done
  say "first scored gauges (features $features) after $(( $(date +%s) - start ))s:"
  sed 's/^/  /' <<<"$scored"
  say "$(curl -sf --max-time 5 "http://127.0.0.1:$reporter_port/metrics" | grep -c "^${prefix}_score{" || true) series scored or warming up"
  until "$sink_check"; do
    kill -0 "$run_pid" 2>/dev/null || fail "bin/anomaly run exited early"
    (( $(date +%s) - start < limit )) || fail "$sink_failure after ${limit}s"
    sleep 3
  done
  web_ui_shows_job_running "$ui_port" || fail "the Web UI on :$ui_port does not show anomaly-detection RUNNING"
  say "Web UI on :$ui_port shows anomaly-detection RUNNING"
  local why
  why=$(stop_with_ctrl_c "$run_pid") || fail "$why"
  wait "$run_pid" || true
  forget "$run_pid"
  say "stopped cleanly on Ctrl-C; passed in $(( $(date +%s) - start ))s"
  run_log=""
}

# ---- victoriametrics -------------------------------------------------------------------------------------------
vm_write_back() {
  # Samples of anomaly_detector_score stamped after this run started can only come from this run (the history it
  # scores at start is stamped in the past).
  local written
  written="$(curl -sf --max-time 10 "$vm_url/api/v1/export" -d 'match[]=anomaly_detector_score' \
    -d "start=$(( run_start_ms / 1000 ))" 2>/dev/null | python3 -c '
import json, sys
since, wanted = int(sys.argv[1]), sys.argv[2:]
features = set()
for line in sys.stdin:
    if line.strip():
        s = json.loads(line)
        if any(t >= since for t in s["timestamps"]):
            features.add(s["metric"].get("feature"))
print(" ".join(sorted(f for f in features if f)))
sys.exit(0 if all(f in features for f in wanted) else 1)' "$run_start_ms" $features)" || {
    sink_failure="no anomaly_detector_score samples of this run in VictoriaMetrics for every feature of [$features] (have: ${written:-none})"
    return 1
  }
  local series
  series="$(curl -sf --max-time 10 "$vm_url/api/v1/query?query=anomaly_detector_score" \
    | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["data"]["result"]))')"
  (( series >= 1 )) || { sink_failure="$vm_url/api/v1/query?query=anomaly_detector_score returns no series"; return 1; }
  say "write-back: this run's anomaly_detector_score samples in VictoriaMetrics for features [$written];" \
    "/api/v1/query?query=anomaly_detector_score returns $series series"
}

smoke_victoriametrics() {
  need_node_exporter "node-exporter victoriametrics"
  local start_line="${services_env}scripts/services.sh start node-exporter victoriametrics"
  curl -sf --max-time 3 "$vm_url/health" >/dev/null \
    || fail "no VictoriaMetrics on $vm_url; start it with: $start_line"
  grep -q '"result":\[{' <<<"$(curl -sf --max-time 5 "$vm_url/api/v1/query?query=node_load1" 2>/dev/null || true)" \
    || fail "VictoriaMetrics on $vm_url has no node_load1 (is it scraping the node-exporter? $start_line)"
  features="cpu memory"
  local args=()
  [[ $vm_port == 18428 ]] || args+=(--set "source.victoriametrics.url=$vm_url" --set "sinks.victoriametrics.url=$vm_url")
  run_example vm_write_back "${args[@]}"
}

# ---- kafka -----------------------------------------------------------------------------------------------------
kafka_results() {
  local summary
  summary="$(timeout 15 kcat -C -b "$brokers" -t "$result_topic" -o beginning -e -q \
    -X isolation.level=read_committed -f '%s\n' 2>/dev/null | python3 -c '
import json, sys
records = scored = 0
example = None
for line in sys.stdin:
    if not line.strip():
        continue
    records += 1
    r = json.loads(line)
    if isinstance(r.get("series"), str) and r["series"] and isinstance(r.get("score"), (int, float)):
        scored += 1
        example = example or {k: r.get(k) for k in ("series", "feature", "score", "model_state", "timestamp")}
print(f"{records} committed records, {scored} scored; e.g. {json.dumps(example)}")
sys.exit(0 if scored else 1)')" || {
    sink_failure="no committed JSON result with a series and a numeric score on topic $result_topic (${summary:-nothing read})"
    return 1
  }
  say "result topic $result_topic (read_committed): $summary"
}

smoke_kafka() {
  need_node_exporter "node-exporter kafka"
  command -v kcat >/dev/null || fail "kcat is needed (scripts/services.sh install installs it)"
  grep -q ' brokers:' <<<"$(timeout 10 kcat -b "$brokers" -L -m 3 2>/dev/null || true)" \
    || fail "no Kafka broker on $brokers; start it with: ${services_env}scripts/services.sh start node-exporter kafka"
  local suffix
  suffix="smoke-$(date +%s)-$$"
  local input_topic="node-metrics-$suffix"
  result_topic="anomalies-$suffix"
  "$root/bin/anomaly" scrape-to-kafka --target "$node_exporter_url" --interval 5s --brokers "$brokers" \
    --topic "$input_topic" >"$work/scrape-to-kafka.log" 2>&1 &
  local scraper=$!
  pids+=("$scraper")
  say "bin/anomaly scrape-to-kafka --target $node_exporter_url --interval 5s --brokers $brokers --topic $input_topic (pid $scraper)"
  features="cpu_idle memory"
  local args=()
  [[ $kafka_port == 19092 ]] || args+=(--set "source.kafka.brokers=$brokers" --set "sinks.kafka.brokers=$brokers")
  run_example kafka_results "${args[@]}" \
    --set "source.kafka.topic=$input_topic" --set "source.kafka.group-id=anomaly-detection-$suffix" \
    --set "source.kafka.dead-letter-topic=anomaly-dead-letters-$suffix" \
    --set "sinks.kafka.topic=$result_topic" --set "sinks.kafka.transactional-id-prefix=anomaly-detection-$suffix"
  kill -0 "$scraper" 2>/dev/null || fail "bin/anomaly scrape-to-kafka exited early"
  kill "$scraper"; wait "$scraper" 2>/dev/null || true
  forget "$scraper"
  rm -f "$work/scrape-to-kafka.log"
}

(( $# )) || set -- victoriametrics kafka
for example in "$@"; do
  [[ $example == victoriametrics || $example == kafka ]] \
    || { echo "usage: scripts/examples-smoke.sh [victoriametrics] [kafka]" >&2; exit 2; }
done
for example in "$@"; do
  case "$example" in
    victoriametrics) smoke_victoriametrics ;;
    kafka) smoke_kafka ;;
  esac
done
rm -rf "$work"
echo "examples-smoke: passed: $*"
