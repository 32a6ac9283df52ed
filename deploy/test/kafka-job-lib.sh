# Shared by deploy/test/fault-kafka-exactly-once.sh, savepoint-upgrade.sh and kafka-broker-restart.sh (sourced, not
# run), on top of cluster-job-lib.sh (timings, exit handler, REST helpers, the job jar): a real Kafka broker
# (scripts/services.sh) and a real Flink cluster (scripts/flink-cluster.sh) on the script's own ports, the fixed
# input of deploy/test/kafka_fault_data.py, job configs (Kafka json source -> exactly-once Kafka sink) and the
# read_committed verdict. Before sourcing, set: WORK (work dir), and the port variables
#   LIB_REST_PORT LIB_RPC_PORT LIB_REPORTER_PORTS LIB_KAFKA_PORT LIB_KAFKA_CONTROLLER_PORT
# and optionally KEEP_WORK=1 (the work dir is kept after a pass too; it is always kept after a failure).
# shellcheck shell=bash
export FLINK_CLUSTER_DIR="$WORK/flink"
export FLINK_REST_PORT="$LIB_REST_PORT"
export FLINK_RPC_PORT="$LIB_RPC_PORT"
export FLINK_REPORTER_PORTS="$LIB_REPORTER_PORTS"
export ANOMALY_SERVICES_DIR="$WORK/services"
export ANOMALY_KAFKA_PORT="$LIB_KAFKA_PORT"
export ANOMALY_KAFKA_CONTROLLER_PORT="$LIB_KAFKA_CONTROLLER_PORT"
source "$(dirname "${BASH_SOURCE[0]}")/cluster-job-lib.sh"
BROKERS="127.0.0.1:$ANOMALY_KAFKA_PORT"
DATA="$REPO/deploy/test/kafka_fault_data.py"

PRODUCERS=() # PIDs of background producers the script started; stop_all kills those still running

stop_all() {
  local pid
  # A held producer (`produce --until FILE | kcat`) is a pipeline: $! is kcat's PID, and the python side waiting for
  # its release file writes nothing, so killing kcat alone would leave it waiting forever. Releasing it first lets
  # it write into the closed pipe and end.
  if [ -n "${RELEASE:-}" ]; then touch "$RELEASE" 2> /dev/null || true; fi
  for pid in "${PRODUCERS[@]}"; do kill "$pid" 2> /dev/null || true; done
  "$CLUSTER" stop > /dev/null 2>&1 || true
  "$SVC" stop kafka > /dev/null 2>&1 || true
}

dump() { # dump TOPIC FILE: the topic's committed records, "key<TAB>value" per line
  # timeout: kcat -e waits for every partition's end, without limit while a partition has no leader.
  timeout 60 kcat -C -b "$BROKERS" -t "$1" -o beginning -e -q -X isolation.level=read_committed -f '%k\t%s\n' > "$2.tmp" 2> "$2.err" \
    || { cat "$2.err" >&2; fail "kcat could not read topic $1"; }
  mv "$2.tmp" "$2"
}

committed() { # committed TOPIC: number of committed records
  dump "$1" "$WORK/count.txt"
  python3 "$DATA" count "$WORK/count.txt"
}

write_config() { # write_config NAME TOPIC: job config of one run (own consumer group and transactional ids)
  cat > "$WORK/$1.yaml" << EOF2
# written by $(basename "$0")
fetch-interval: 5s
mode: sarima
warmup:
  samples: 16
features:
  load:
    metric: test_load
    kind: gauge
source:
  type: kafka
  kafka:
    brokers: $BROKERS
    topic: samples
    group-id: anomaly-$1
    format: json
    dead-letter-topic: dead-letters-$1
    max-age: 0 # the data is of 2025-01-01: no limit on the samples' age
sinks:
  log:
    enabled: true
  kafka:
    enabled: true
    brokers: $BROKERS
    topic: $2
    events: all
    delivery: exactly-once
    transactional-id-prefix: anomaly-$1
flink:
  checkpoint-interval: 2s
  state-backend: rocksdb
  checkpoint-dir: file://$FLINK_CLUSTER_DIR/checkpoints/$1
EOF2
}

job_id_of() { # job_id_of OUTPUT: checks a JobID
  [[ "$1" =~ ^[0-9a-f]{32}$ ]] || fail "no JobID from the cluster script: '$1'"
  echo "$1"
}

wait_complete() { # wait_complete TOPIC EXPECTED TIMEOUT: until EXPECTED records are committed, and no more come
  local deadline=$((SECONDS + $3)) n
  while :; do
    n="$(committed "$1")"
    [ "$n" -ge "$2" ] && break
    [ $SECONDS -lt $deadline ] || fail "$1: $n of $2 events committed after $3 s"
    sleep 2
  done
  sleep 6 # three more checkpoints: anything late (a duplicate) would be committed by now
  n="$(committed "$1")"
  echo "$1: $n events committed (expected $2)"
}

wait_committed_at_least() { # wait_committed_at_least TOPIC N TIMEOUT
  local deadline=$((SECONDS + $3)) n
  while :; do
    n="$(committed "$1")"
    [ "$n" -ge "$2" ] && break
    [ $SECONDS -lt $deadline ] || fail "$1: only $n events committed after $3 s (waiting for $2)"
    sleep 1
  done
  echo "$n"
}

produce_half() { # produce_half first|second: that half of every partition's fixed input, into topic samples
  local p n
  for p in 0 1; do
    [ -f "$WORK/input-$p.txt" ] || python3 "$DATA" produce --partition $p > "$WORK/input-$p.txt"
    n="$(wc -l < "$WORK/input-$p.txt")"
    if [ "$1" = first ]; then head -n $((n / 2)) "$WORK/input-$p.txt"; else tail -n +$((n / 2 + 1)) "$WORK/input-$p.txt"; fi \
      | kcat -P -b "$BROKERS" -t samples -p $p -K $'\t' -X linger.ms=5 2> "$WORK/producer-$p.err" \
      || { cat "$WORK/producer-$p.err" >&2; fail "producing the $1 half of partition $p failed"; }
  done
}

# setup TOPIC...: clean work dir, the jar (built when missing), Kafka, the cluster, topic samples (2 partitions) and
# the given output topics (2 partitions each); sets EXPECTED (events per complete run)
setup() {
  command -v curl > /dev/null || fail "curl is needed"
  command -v python3 > /dev/null || fail "python3 is needed"
  stop_all
  # A fresh work dir, but the broker's resolved classpath (a Maven run) is kept from an earlier run.
  local cp_file="$ANOMALY_SERVICES_DIR/kafka/classpath.txt" cp_saved=""
  [ -f "$cp_file" ] && cp_saved="$(cat "$cp_file")"
  rm -rf "$WORK"
  mkdir -p "$WORK"
  if [ -n "$cp_saved" ]; then mkdir -p "$(dirname "$cp_file")"; printf '%s\n' "$cp_saved" > "$cp_file"; fi
  build_jar_if_missing
  "$SVC" start kafka || fail "scripts/services.sh start kafka failed"
  command -v kcat > /dev/null || fail "kcat is needed (scripts/services.sh install installs it)"
  timing "Kafka start"
  "$CLUSTER" start || fail "scripts/flink-cluster.sh start failed"
  timing "Flink cluster start (JobManager + 2 TaskManagers)"
  # retention.ms=-1: the records carry their event time (2025), and the broker's time-based retention (24 h) would
  # otherwise delete whole segments of them at its next check, even from an uninterrupted run's output.
  local topics=(samples:2:retention.ms=-1) t
  for t in "$@"; do topics+=("$t:2:retention.ms=-1"); done
  java -cp "$(cat "$ANOMALY_SERVICES_DIR/kafka/classpath.txt")" "$REPO/deploy/test/KafkaTopics.java" "$BROKERS" \
    "${topics[@]}" > "$WORK/topics.log" 2>&1 || { cat "$WORK/topics.log" >&2; fail "creating the topics failed"; }
  grep '^created' "$WORK/topics.log"
  EXPECTED="$(python3 -c "import sys; sys.path.insert(0, '$REPO/deploy/test'); import kafka_fault_data as d; print(d.SERIES * (d.SAMPLES - 1))")"
  timing "topics"
}

# reference_run NAME TOPIC: the unchanged job, uninterrupted, over the complete input; must not restart
reference_run() {
  write_config "$1" "$2"
  local id
  id="$(job_id_of "$("$CLUSTER" submit "$JAR" --config "$WORK/$1.yaml")")"
  wait_running "$id"
  wait_complete "$2" "$EXPECTED" 180
  local restores
  restores="$(json "$REST/jobs/$id/checkpoints" 'd["counts"]["restored"]')"
  [ "${restores:-0}" = 0 ] || fail "the reference run restarted ($restores restores): it is not uninterrupted"
  "$CLUSTER" cancel "$id" > /dev/null 2>&1 || fail "cancelling the reference run failed"
  timing "reference run (uninterrupted): submit -> output complete"
}
