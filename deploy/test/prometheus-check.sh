#!/usr/bin/env bash
# Static checks of the Prometheus configuration with Prometheus' own tool:
#   promtool check config  deploy/prometheus/prometheus.yml and prometheus-compose.yml (with their rule files)
#   promtool check rules   deploy/prometheus/rules/*.rules.yml
#   promtool test rules    deploy/prometheus/tests/*.test.yml (alert unit tests: firing and quiet cases)
# Installs the Debian package prometheus (for promtool) when missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_command promtool prometheus
cd "$REPO/deploy/prometheus"

for config in prometheus.yml prometheus-compose.yml; do
  promtool check config "$config" >/dev/null || { promtool check config "$config"; fail "promtool check config $config"; }
  pass "promtool check config $config"
done
promtool check rules rules/*.rules.yml >/dev/null || { promtool check rules rules/*.rules.yml; fail "promtool check rules"; }
pass "promtool check rules $(ls rules/*.rules.yml | tr '\n' ' ')"

tests=(tests/*.test.yml)
[ -e "${tests[0]}" ] || fail "no rule unit tests in deploy/prometheus/tests"
promtool test rules "${tests[@]}" >/dev/null 2>&1 || { promtool test rules "${tests[@]}"; fail "promtool test rules"; }
pass "promtool test rules ${tests[*]}"

# Every alert has unit tests.
for alert in $(sed -n 's/^ *- alert: *//p' rules/*.rules.yml); do
  grep -q "alertname: $alert\$" "${tests[@]}" || fail "alert $alert has no unit test in deploy/prometheus/tests"
done
pass "every alert has unit tests"
