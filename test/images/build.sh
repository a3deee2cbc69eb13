#!/usr/bin/env bash
# Builds every local image the tests and the sample stacks need; each is skipped when present.
# Tags: devenv-local/{debian:bookworm,node:20,postgres:16,redis:7,kind-node:latest,registry:2}
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/build-base.sh" devenv-local/debian:bookworm
build() { # tag dir
  if docker image inspect "$1" >/dev/null 2>&1; then echo "present: $1"; return; fi
  docker build -q -t "$1" "$2" >/dev/null && echo "built: $1"
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$here/node/." "$tmp/"; cp "$(command -v node)" "$tmp/node"
build devenv-local/node:20 "$tmp" &
build devenv-local/postgres:16 "$here/postgres" &
build devenv-local/redis:7 "$here/redis" &
build devenv-local/kind-node:latest "$here/kind-node" &
build devenv-local/registry:2 "$here/registry" &
fail=0; for j in $(jobs -p); do wait "$j" || fail=1; done
exit $fail
