#!/usr/bin/env bash
# Builds devenv-local/debian:bookworm from Debian's packages with debootstrap, since no image
# can be pulled on machines without a registry. Skips when the tag is present.
set -euo pipefail
tag=${1:-devenv-local/debian:bookworm}
if docker image inspect "$tag" >/dev/null 2>&1; then echo "present: $tag"; exit 0; fi
root=$(mktemp -d /tmp/devenv-rootfs.XXXX)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/tmp/debootstrap.log 2>&1 \
  || { tail -20 /tmp/debootstrap.log; exit 1; }
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import - "$tag" >/dev/null
echo "built: $tag"
