#!/usr/bin/env bash
# Validates docker-compose.yml offline (no Docker engine needed): `docker-compose config -q` (syntax,
# unknown keys, undefined dependencies), then compose_checks.py on the resolved config (mounted files exist,
# Prometheus scrapes existing services on the reporter port, the JobManager runs our job with its config).
# Installs the Debian package docker-compose when missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
need_command docker-compose docker-compose
need_python_yaml
cd "$REPO"
docker-compose -f docker-compose.yml config -q || fail "docker-compose config -q"
pass "docker-compose -f docker-compose.yml config -q"
docker-compose -f docker-compose.yml config | python3 deploy/test/compose_checks.py || fail "docker-compose.yml checks"
pass "docker-compose.yml mounts, scrape targets and job command agree"
