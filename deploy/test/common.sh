# Shared by the deploy/test scripts (sourced, not run).
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# need_command CMD DEBIAN_PACKAGE: installs the package (no recommends) when CMD is missing.
need_command() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "$1 not found: installing the Debian package $2" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 install -y -qq --no-install-recommends "$2" >&2
  command -v "$1" >/dev/null 2>&1 || fail "$1 still missing after installing $2"
}

# need_python_yaml: PyYAML for the YAML checks.
need_python_yaml() {
  python3 -c 'import yaml' 2>/dev/null && return 0
  echo "PyYAML not found: installing the Debian package python3-yaml" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 install -y -qq --no-install-recommends python3-yaml >&2
  python3 -c 'import yaml' || fail "python3 cannot import yaml"
}
