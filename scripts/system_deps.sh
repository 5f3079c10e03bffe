#!/usr/bin/env bash
# Debian packages the live tests need beside the Python ones, installed by `make test`:
#   chromium     /usr/bin/chromium, the real browser of the web-chat test
#   nginx-light  nginx, the load balancer of the cluster profile (make run-cluster, its test)
# Usage: bash scripts/system_deps.sh [PACKAGE ...]    (default: chromium nginx-light)
#
# Nothing to do (a few milliseconds) when the programs are there. As root, apt-get installs the
# missing ones (after an `apt-get update` if the first try fails on a stale or empty package
# list). As another user it prints the one command to run and exits non-zero, so a test run
# stops at once instead of failing in its browser and cluster tests twelve minutes later.
set -euo pipefail

packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(chromium nginx-light)

# Is the program of the package where the tests look for it?
present() {
  case "$1" in
    chromium) [ -x /usr/bin/chromium ] ;;
    nginx-light) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] ;;
    *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" ;;
  esac
}

missing=()
for package in "${packages[@]}"; do
  present "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get install -y ${missing[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages for the browser and cluster tests; install them with: sudo $command" >&2
  exit 1
fi

echo "Installing ${missing[*]} (browser and cluster tests)"
# The nginx package starts a default server on port 80 (and fails to configure when the port is
# taken); the cluster runs its own nginx. A policy-rc.d that refuses service starts, in place
# only while apt-get runs, keeps the package from starting it. An existing policy-rc.d is the
# administrator's and is left as it is.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# in place while scripts/system_deps.sh installs packages\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi

log=$(mktemp)
install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$log" 2>&1; }
if ! install; then
  apt-get update -q >>"$log" 2>&1 || true
  install || { tail -n 20 "$log" >&2; echo "Could not run: $command (log: $log)" >&2; exit 1; }
fi
rm -f "$log"
for package in "${missing[@]}"; do
  present "$package" || { echo "$package installed but its program is not where the tests look" >&2; exit 1; }
done
