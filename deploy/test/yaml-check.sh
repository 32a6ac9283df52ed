#!/usr/bin/env bash
# Every YAML file under deploy/ (and docker-compose.yml) parses, and what must agree does: the metric
# renaming in Prometheus (local, compose) and the Kubernetes PodMonitor; the FlinkDeployment's shape
# (string config values, entry class, jar URI, stateful upgrades, reporter port exposed); the ConfigMap's job
# config; the Flink version of the local cluster, the compose image and the k8s image. See yaml_checks.py.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_python_yaml
python3 "$REPO/deploy/test/yaml_checks.py" || fail "deploy YAML checks"
pass "deploy YAML files parse and agree"
