#!/usr/bin/env bash
# Local real services for development, tests and CI, all on 127.0.0.1:
#   victoriametrics  VictoriaMetrics single node, scraping the node-exporter every 5 s
#   node-exporter    Prometheus node exporter
#   prometheus       Prometheus on the product's configuration, deploy/prometheus/prometheus.yml (the Flink
#                    reporters of scripts/flink-cluster.sh renamed to anomaly_detector_*, the node-exporter,
#                    VictoriaMetrics, itself) and alert rules deploy/prometheus/rules, with this script's ports
#   kafka            one Kafka broker in KRaft mode (broker + controller), every replication factor 1
#
# usage: scripts/services.sh install|start|stop|status|env [name...]   (no name: all four)
#   install  apt-installs the Debian packages when a binary is missing; resolves the Kafka broker's classpath
#   start    installs if needed, starts what is not running, waits until each is ready; idempotent
#   stop     SIGTERM, then SIGKILL after a grace period, to the processes this script started (PID files)
#   status   one line per service: up or down (exit 3 when any is down)
#   env      shell-sourceable addresses: VM_URL, NODE_EXPORTER_URL, PROMETHEUS_URL, KAFKA_BROKERS, ...
#
# Settings (environment): ANOMALY_SERVICES_DIR (data, logs, PID files; default <repo>/target/services),
# ANOMALY_VM_PORT (18428), ANOMALY_NODE_EXPORTER_PORT (19100), ANOMALY_PROMETHEUS_PORT (19090),
# ANOMALY_KAFKA_PORT (19092), ANOMALY_KAFKA_CONTROLLER_PORT (19093), ANOMALY_KAFKA_HEAP (256m),
# ANOMALY_FLINK_REPORTER_PORTS (the Flink reporter range Prometheus scrapes; default $FLINK_REPORTER_PORTS, else
# 9250-9260), ANOMALY_SCRAPE_INTERVAL (5s), ANOMALY_SERVICES_TIMEOUT (seconds to wait for readiness, default 120).
# The ports avoid Flink's defaults (8081, 6123, 6124, 9249-9260) and the services' own (8428, 9100, 9090, 9092).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${ANOMALY_SERVICES_DIR:-$REPO/target/services}"
VM_PORT="${ANOMALY_VM_PORT:-18428}"
NODE_EXPORTER_PORT="${ANOMALY_NODE_EXPORTER_PORT:-19100}"
PROMETHEUS_PORT="${ANOMALY_PROMETHEUS_PORT:-19090}"
KAFKA_PORT="${ANOMALY_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${ANOMALY_KAFKA_CONTROLLER_PORT:-19093}"
KAFKA_HEAP="${ANOMALY_KAFKA_HEAP:-256m}"
SCRAPE_INTERVAL="${ANOMALY_SCRAPE_INTERVAL:-5s}"
FLINK_REPORTER_PORTS="${ANOMALY_FLINK_REPORTER_PORTS:-${FLINK_REPORTER_PORTS:-9250-9260}}"
READY_TIMEOUT="${ANOMALY_SERVICES_TIMEOUT:-120}"
HOST=127.0.0.1
ALL=(node-exporter victoriametrics prometheus kafka)
APT_PACKAGES=(victoria-metrics prometheus prometheus-node-exporter kcat docker-compose)
KAFKA_POM="$REPO/deploy/local/kafka/pom.xml"
PROMETHEUS_CONFIG="$REPO/deploy/prometheus/prometheus.yml"
PROMETHEUS_RULES="$REPO/deploy/prometheus/rules"
KAFKA_LOG4J="$REPO/deploy/local/kafka/log4j2.properties"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

die() { echo "services: $*" >&2; exit 2; }
say() { echo "services: $*" >&2; }

usage() {
  echo "usage: scripts/services.sh install|start|stop|status|env [${ALL[*]}]" >&2
  exit 2
}

# ---- names ---------------------------------------------------------------------------------------------------
canonical() {
  case "$1" in
    victoriametrics|victoria-metrics|vm) echo victoriametrics ;;
    node-exporter|node_exporter|prometheus-node-exporter) echo node-exporter ;;
    prometheus) echo prometheus ;;
    kafka) echo kafka ;;
    *) die "unknown service '$1' (known: ${ALL[*]})" ;;
  esac
}

port_of() {
  case "$1" in
    victoriametrics) echo "$VM_PORT" ;;
    node-exporter) echo "$NODE_EXPORTER_PORT" ;;
    prometheus) echo "$PROMETHEUS_PORT" ;;
    kafka) echo "$KAFKA_PORT" ;;
  esac
}

binaries_of() {
  case "$1" in
    victoriametrics) echo victoria-metrics ;;
    node-exporter) echo prometheus-node-exporter ;;
    prometheus) echo prometheus ;;
    kafka) echo "kcat $(basename "$JAVA")" ;;
  esac
}

# ---- processes -----------------------------------------------------------------------------------------------
pid_file() { echo "$STATE/$1/pid"; }

# True when PID runs and is not a zombie (PID 1 reaps orphans late, so kill -0 alone is not enough).
alive() {
  local pid="$1" st
  [[ -r "/proc/$pid/stat" ]] || return 1
  st="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null || echo X)"
  [[ "$st" != Z && "$st" != X ]]
}

# The PID this script started for the service, when it still runs: its command line names our state directory
# (guards against a recycled PID).
our_pid() {
  local f pid
  f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  # Read whole, then matched: `tr | grep -q` would end in SIGPIPE (status 141 under pipefail) once a long command
  # line (the broker's classpath) outgrows the pipe buffer after grep has already matched and exited.
  local cmdline
  cmdline="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"$STATE/$1"* ]] || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Readiness probe of one service; succeeds when it answers as that service should.
probe() {
  case "$1" in
    victoriametrics)
      [[ "$(curl -sf --max-time 2 "http://$HOST:$VM_PORT/health" 2>/dev/null)" == OK ]] ;;
    node-exporter)
      local body
      body="$(curl -sf --max-time 3 "http://$HOST:$NODE_EXPORTER_PORT/metrics" 2>/dev/null)" || return 1
      grep -q '^node_' <<< "$body" ;;
    prometheus)
      # /-/ready comes before the first scrape: wait for the self-scrape's `up` sample.
      local body
      body="$(curl -sf --max-time 2 "http://$HOST:$PROMETHEUS_PORT/api/v1/query?query=up%7Bjob%3D%22prometheus%22%7D" \
        2>/dev/null)" || return 1
      grep -q '"value":\[[0-9.]*,"1"\]' <<< "$body" ;;
    kafka)
      local body
      body="$(kcat -b "$HOST:$KAFKA_PORT" -L -m 3 2>/dev/null)" || return 1
      grep -q '1 brokers:' <<< "$body" ;;
  esac
}

start_daemon() { # name, log file, command...
  local name="$1" log="$2"
  shift 2
  # setsid + closed stdin/stdout: the service outlives this script and never holds a caller's pipe open
  # (tests run this script through ProcessBuilder and read its output to the end).
  setsid nohup "$@" < /dev/null > "$log" 2>&1 &
  echo $! > "$(pid_file "$name")"
}

wait_ready() { # name
  local name="$1" pid deadline
  deadline=$((SECONDS + READY_TIMEOUT))
  # The PID just started, checked with `alive` only: until setsid and nohup have exec'd, /proc/PID/cmdline is
  # still this script's, so our_pid's command-line check would call a starting service dead.
  pid="$(cat "$(pid_file "$name")")"
  while ! probe "$name"; do
    if ! alive "$pid"; then
      say "$name exited while starting; last lines of $STATE/$name/$name.log:"
      tail -n 30 "$STATE/$name/$name.log" >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      say "$name (pid $pid) not ready after ${READY_TIMEOUT}s; see $STATE/$name/$name.log"
      return 1
    fi
    sleep 0.5
  done
}

# ---- install -------------------------------------------------------------------------------------------------
kafka_classpath_file() { echo "$STATE/kafka/classpath.txt"; }

install_services() { # names...
  local missing=() name b
  for name in "$@"; do
    for b in $(binaries_of "$name"); do
      command -v "$b" > /dev/null || missing+=("$b")
    done
  done
  if (($# == ${#ALL[@]})); then
    command -v docker-compose > /dev/null || missing+=(docker-compose)
  fi
  if ((${#missing[@]} > 0)); then
    say "missing ${missing[*]}: installing Debian packages ${APT_PACKAGES[*]}"
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
      sudo=(sudo)
    fi
    local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
    "${apt[@]}" update -qq
    "${apt[@]}" install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" > "$STATE/apt-install.log" 2>&1 \
      || { tail -n 20 "$STATE/apt-install.log" >&2; die "apt-get install failed (log: $STATE/apt-install.log)"; }
    for b in "${missing[@]}"; do
      command -v "$b" > /dev/null || die "'$b' is still missing after installing ${APT_PACKAGES[*]}"
    done
  fi
  for name in "$@"; do
    if [[ "$name" == kafka ]]; then
      local cp
      cp="$(kafka_classpath_file)"
      if [[ ! -s "$cp" || "$KAFKA_POM" -nt "$cp" ]]; then
        say "resolving the Kafka broker's classpath ($KAFKA_POM)"
        mvn -B -ntp -q -Dstyle.color=never -f "$KAFKA_POM" dependency:build-classpath -Dmdep.outputFile="$cp.tmp" >&2 \
          || die "could not resolve the Kafka broker's classpath from $KAFKA_POM"
        mv "$cp.tmp" "$cp"
      fi
    fi
  done
}

# ---- configuration files -------------------------------------------------------------------------------------
write_scrape_config() { # file, include self-scrape (prometheus) yes/no
  {
    echo "# written by scripts/services.sh on every start"
    echo "global:"
    echo "  scrape_interval: $SCRAPE_INTERVAL"
    echo "  scrape_timeout: $SCRAPE_INTERVAL"
    echo "scrape_configs:"
    echo "  - job_name: node"
    echo "    static_configs:"
    echo "      - targets: ['$HOST:$NODE_EXPORTER_PORT']"
    if [[ "$2" == yes ]]; then
      echo "  - job_name: prometheus"
      echo "    static_configs:"
      echo "      - targets: ['$HOST:$PROMETHEUS_PORT']"
    fi
  } > "$1"
}

# The product's Prometheus configuration with this script's ports: its node-exporter (19100), VictoriaMetrics
# (18428) and Prometheus (19090) targets, scrape/evaluation interval (5s) and Flink reporter targets
# (127.0.0.1:9250 ... 9260, one line each) are replaced; the rules it loads (rules/*.rules.yml, relative to the
# configuration file) are copied next to it.
write_prometheus_config() { # directory
  local dir="$1" first last p targets=""
  [[ "$FLINK_REPORTER_PORTS" =~ ^([0-9]+)(-([0-9]+))?$ ]] \
    || die "ANOMALY_FLINK_REPORTER_PORTS must be a port or a range like 9250-9260, got '$FLINK_REPORTER_PORTS'"
  first="${BASH_REMATCH[1]}"
  last="${BASH_REMATCH[3]:-$first}"
  ((first <= last)) || die "ANOMALY_FLINK_REPORTER_PORTS: empty range '$FLINK_REPORTER_PORTS'"
  for ((p = first; p <= last; p++)); do targets+="$HOST:$p "; done
  [[ -f "$PROMETHEUS_CONFIG" ]] || die "prometheus: $PROMETHEUS_CONFIG is missing"
  {
    echo "# written by scripts/services.sh on every start from $PROMETHEUS_CONFIG (ports replaced)"
    sed -E -e "s/127\.0\.0\.1:19100/$HOST:$NODE_EXPORTER_PORT/g" -e "s/127\.0\.0\.1:18428/$HOST:$VM_PORT/g" \
      -e "s/127\.0\.0\.1:19090/$HOST:$PROMETHEUS_PORT/g" \
      -e "s/^(  (scrape|evaluation)_interval:) 5s$/\1 $SCRAPE_INTERVAL/" "$PROMETHEUS_CONFIG" \
      | awk -v targets="$targets" '
          /^ *- 127\.0\.0\.1:(92[5-9][0-9]|9260) *$/ {
            if (!done) {
              indent = $0; sub(/-.*/, "", indent)
              n = split(targets, t, " ")
              for (i = 1; i <= n; i++) print indent "- " t[i]
              done = 1
            }
            next
          }
          { print }
          END { if (!done) exit 1 }' \
      || die "prometheus: no Flink reporter targets (127.0.0.1:9250 ...) found in $PROMETHEUS_CONFIG"
  } > "$dir/prometheus.yml"
  rm -rf "$dir/rules"
  cp -R "$PROMETHEUS_RULES" "$dir/rules"
}

write_kafka_config() { # file
  cat > "$1" <<EOF
# written by scripts/services.sh on every start: one KRaft node that is broker and controller
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$STATE/kafka/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=24
log.cleaner.dedupe.buffer.size=8388608
EOF
}

# ---- start ---------------------------------------------------------------------------------------------------
start_one() { # name
  local name="$1" dir port pid
  dir="$STATE/$name"
  port="$(port_of "$name")"
  mkdir -p "$dir"
  if pid="$(our_pid "$name")"; then
    wait_ready "$name" || return 1
    say "$name already running (pid $pid, port $port)"
    return 0
  fi
  rm -f "$(pid_file "$name")"
  if port_open "$port"; then
    if probe "$name"; then
      say "$name: port $port already serves $name, not started by this script (state dir $STATE); using it"
      return 0
    fi
    die "$name: port $HOST:$port is taken by another program; choose another with $(port_var "$name")"
  fi
  case "$name" in
    node-exporter)
      mkdir -p "$dir/textfile"
      start_daemon "$name" "$dir/$name.log" prometheus-node-exporter \
        "--web.listen-address=$HOST:$NODE_EXPORTER_PORT" --no-collector.systemd \
        "--collector.textfile.directory=$dir/textfile"
      ;;
    victoriametrics)
      mkdir -p "$dir/data"
      write_scrape_config "$dir/scrape.yml" no
      start_daemon "$name" "$dir/$name.log" victoria-metrics "-httpListenAddr=$HOST:$VM_PORT" \
        "-storageDataPath=$dir/data" -retentionPeriod=1d -search.latencyOffset=1s -search.disableCache \
        "-promscrape.config=$dir/scrape.yml"
      ;;
    prometheus)
      mkdir -p "$dir/data"
      write_prometheus_config "$dir"
      start_daemon "$name" "$dir/$name.log" prometheus "--config.file=$dir/prometheus.yml" \
        "--storage.tsdb.path=$dir/data" --storage.tsdb.retention.time=1d \
        "--web.listen-address=$HOST:$PROMETHEUS_PORT" --web.enable-lifecycle --web.enable-admin-api
      ;;
    kafka)
      if port_open "$KAFKA_CONTROLLER_PORT"; then
        die "kafka: controller port $HOST:$KAFKA_CONTROLLER_PORT is taken; choose another with ANOMALY_KAFKA_CONTROLLER_PORT"
      fi
      local cp
      cp="$(cat "$(kafka_classpath_file)")"
      mkdir -p "$dir/data"
      write_kafka_config "$dir/server.properties"
      local java_opts=("-Xmx$KAFKA_HEAP" -Xms64m -XX:+UseSerialGC -Djava.awt.headless=true
        "-Dlog4j2.configurationFile=$KAFKA_LOG4J" "-Dkafka.logs.dir=$dir")
      if [[ ! -f "$dir/data/meta.properties" ]]; then
        local cluster_id
        cluster_id="$("$JAVA" -cp "$cp" "${java_opts[@]}" kafka.tools.StorageTool random-uuid 2>> "$dir/format.log" | tail -n 1 || true)"
        [[ -n "$cluster_id" ]] || die "kafka: StorageTool random-uuid failed (see $dir/format.log)"
        "$JAVA" -cp "$cp" "${java_opts[@]}" kafka.tools.StorageTool format -t "$cluster_id" \
          -c "$dir/server.properties" >> "$dir/format.log" 2>&1 \
          || { tail -n 20 "$dir/format.log" >&2; die "kafka: formatting $dir/data failed"; }
        say "kafka: formatted $dir/data (cluster id $cluster_id)"
      fi
      start_daemon "$name" "$dir/$name.log" "$JAVA" "${java_opts[@]}" -cp "$cp" kafka.Kafka "$dir/server.properties"
      ;;
  esac
  wait_ready "$name" || return 1
  say "$name started (pid $(cat "$(pid_file "$name")"), port $port)"
}

port_var() {
  case "$1" in
    victoriametrics) echo ANOMALY_VM_PORT ;;
    node-exporter) echo ANOMALY_NODE_EXPORTER_PORT ;;
    prometheus) echo ANOMALY_PROMETHEUS_PORT ;;
    kafka) echo ANOMALY_KAFKA_PORT ;;
  esac
}

# ---- stop ----------------------------------------------------------------------------------------------------
stop_one() { # name
  local name="$1" pid i
  if ! pid="$(our_pid "$name")"; then
    rm -f "$(pid_file "$name")"
    say "$name not running (no process started by this script)"
    return 0
  fi
  kill -TERM "$pid" 2> /dev/null || true
  for ((i = 0; i < 60; i++)); do # 30 s grace (Kafka needs ~3 s)
    alive "$pid" || break
    sleep 0.5
  done
  if alive "$pid"; then
    say "$name (pid $pid) ignored SIGTERM for 30 s: SIGKILL"
    kill -KILL "$pid" 2> /dev/null || true
    for ((i = 0; i < 20; i++)); do
      alive "$pid" || break
      sleep 0.25
    done
  fi
  rm -f "$(pid_file "$name")"
  say "$name stopped (pid $pid)"
}

# ---- status / env --------------------------------------------------------------------------------------------
status_one() {
  local name="$1" pid port
  port="$(port_of "$name")"
  if pid="$(our_pid "$name")"; then
    if probe "$name"; then
      echo "$name up (pid $pid, $HOST:$port)"
    else
      echo "$name starting or unhealthy (pid $pid, $HOST:$port)"
      return 1
    fi
  elif probe "$name"; then
    echo "$name up ($HOST:$port, not started by this script)"
  else
    echo "$name down ($HOST:$port)"
    return 1
  fi
}

env_one() {
  case "$1" in
    victoriametrics) echo "VM_URL=http://$HOST:$VM_PORT" ;;
    node-exporter) echo "NODE_EXPORTER_URL=http://$HOST:$NODE_EXPORTER_PORT" ;;
    prometheus) echo "PROMETHEUS_URL=http://$HOST:$PROMETHEUS_PORT" ;;
    kafka) echo "KAFKA_BROKERS=$HOST:$KAFKA_PORT" ;;
  esac
}

# ---- main ----------------------------------------------------------------------------------------------------
(($# >= 1)) || usage
action="$1"
shift
names=()
if (($# == 0)); then
  names=("${ALL[@]}")
else
  for n in "$@"; do
    c="$(canonical "$n")"
    [[ " ${names[*]-} " == *" $c "* ]] || names+=("$c")
  done
fi

case "$action" in
  install)
    mkdir -p "$STATE"
    install_services "${names[@]}"
    ;;
  start)
    mkdir -p "$STATE"
    install_services "${names[@]}"
    for n in "${ALL[@]}"; do # dependency order: the exporter first, so the scrapers find it
      if [[ " ${names[*]} " == *" $n "* ]]; then
        start_one "$n"
      fi
    done
    ;;
  stop)
    for ((i = ${#ALL[@]} - 1; i >= 0; i--)); do
      n="${ALL[$i]}"
      if [[ " ${names[*]} " == *" $n "* ]]; then
        stop_one "$n"
      fi
    done
    ;;
  status)
    rc=0
    for n in "${names[@]}"; do
      status_one "$n" || rc=3
    done
    exit "$rc"
    ;;
  env)
    for n in "${names[@]}"; do
      env_one "$n"
    done
    printf 'ANOMALY_SERVICES_DIR=%q\n' "$STATE"
    ;;
  -h|--help|help) usage ;;
  *) usage ;;
esac
