#!/bin/sh
# Starts containerd and waits for its socket, then idles like a node would.
containerd >/var/log/containerd.log 2>&1 &
for i in $(seq 1 100); do ctr version >/dev/null 2>&1 && break; sleep 0.1; done
exec sleep infinity
