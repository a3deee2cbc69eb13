// The addon probes' objects and verdicts (running them needs a real cluster: laptop only).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ingressVerdict, metricsVerdict, nfsMountAdvice, pollVerdict, rwxProbeObjects, rwxVerdict, sampleIngress } from "../../../src/addons/probes.js";
import { traitsOf } from "../../../src/cluster/traits.js";

describe("RWX probe", () => {
  it("is one ReadWriteMany claim of the NFS class mounted by two pods that wait for each other", () => {
    const [claim, a, b] = rwxProbeObjects("nfs", { "busybox:1.36": "devenv-local/debian:bookworm" });
    expect(claim).toMatchObject({ kind: "PersistentVolumeClaim", spec: { accessModes: ["ReadWriteMany"], storageClassName: "nfs" } });
    for (const [pod, me, peer] of [[a!, "a", "b"], [b!, "b", "a"]] as const) {
      const spec = pod.spec as { containers: { image: string; command: string[] }[]; volumes: { persistentVolumeClaim: { claimName: string } }[] };
      expect(spec.volumes[0]!.persistentVolumeClaim.claimName).toBe(claim!.metadata.name);
      expect(spec.containers[0]!.image).toBe("devenv-local/debian:bookworm");
      expect(spec.containers[0]!.command[2]).toContain(`echo ${me} > /data/${me}`);
      expect(spec.containers[0]!.command[2]).toContain(`[ -f /data/${peer} ]`);
      // Spread over nodes where it can, so sharing across nodes is what is proven.
      expect(pod.spec).toMatchObject({ affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: pod.metadata.labels } } }] } } });
    }
  });

  it("passes only when both pods succeeded; one failure fails it", () => {
    expect(rwxVerdict([{ name: "a", phase: "Succeeded" }, { name: "b", phase: "Succeeded" }]).status).toBe("ok");
    expect(rwxVerdict([{ name: "a", phase: "Succeeded" }, { name: "b", phase: "Running" }]).status).toBe("pending");
    expect(rwxVerdict([{ name: "a", phase: "Succeeded" }, { name: "b" }])).toEqual({ status: "pending", detail: "a: Succeeded, b: not created" });
    expect(rwxVerdict([{ name: "a", phase: "Failed" }, { name: "b", phase: "Succeeded" }]).status).toBe("failed");
  });
});

describe("metrics probe", () => {
  it("needs cpu and memory usage for every node", () => {
    expect(metricsVerdict({ items: [] }).status).toBe("pending");
    expect(metricsVerdict({ items: [{ metadata: { name: "n1" }, usage: { cpu: "100m" } }] })).toEqual({ status: "pending", detail: "no usage yet for n1" });
    expect(metricsVerdict({ items: [{ metadata: { name: "n1" }, usage: { cpu: "100m", memory: "1Gi" } }] })).toEqual({ status: "ok", detail: "n1: cpu 100m, memory 1Gi" });
  });
});

describe("ingress probe", () => {
  it("wants an answer from nginx", () => {
    expect(ingressVerdict({ status: 404, server: "nginx" }).status).toBe("ok");
    expect(ingressVerdict({ error: "connect ECONNREFUSED" })).toEqual({ status: "pending", detail: "connect ECONNREFUSED" });
    expect(ingressVerdict({ status: 200, server: "Apache" }).status).toBe("failed");
  });

  it("reads a real HTTP answer on localhost", async () => {
    const server = createServer((_req, res) => res.writeHead(404, { server: "nginx" }).end()).listen(0);
    await new Promise((r) => server.once("listening", r));
    try {
      const port = (server.address() as AddressInfo).port;
      expect(await sampleIngress(port)).toEqual({ status: "ok", detail: "ingress-nginx answered HTTP 404" });
      server.close();
      await new Promise((r) => server.once("close", r));
      expect((await sampleIngress(port)).status).toBe("pending");
    } finally {
      server.close();
    }
  });

  it("polling stops at the first failure and says what failed", async () => {
    await expect(pollVerdict("ingress", async () => ({ status: "failed", detail: "wrong server" }), 5000, 10)).rejects.toThrow("addon probe failed: ingress: wrong server");
    let n = 0;
    expect(await pollVerdict("x", async () => (++n < 3 ? { status: "pending", detail: "" } : { status: "ok", detail: "done" }), 5000, 10)).toBe("done");
  });

  it("NFS on nodes without a mount helper: a FailedMount is final and the error names the cause and the fix", async () => {
    const event = "MountVolume.SetUp failed for volume \"pvc-1\" : mount failed: exit status 255";
    expect(rwxVerdict([{ name: "a", phase: "Pending" }, { name: "b", phase: "Pending" }], [event], true)).toEqual({ status: "failed", detail: `mount failed: ${event}` });
    // k3d's nodes as they are, if RWX went through NFS (it no longer does: traits.rwx).
    const advice = nfsMountAdvice({ provider: "k3d", kubeletNfsMount: false, rwx: { via: "nfs" } });
    const err = (await pollVerdict("NFS ReadWriteMany", async () => rwxVerdict([], [event], true), 5000, 10, advice).catch((e: unknown) => e)) as { message: string; hint: string };
    expect(err.message).toBe(`addon probe failed: NFS ReadWriteMany: k3d nodes (rancher/k3s images) carry no NFS mount helper, so the kubelet cannot mount the NFS volume (k3d#1109, k3d#1383): mount failed: ${event}`);
    expect(err.hint).toMatch(/^set addons.nfs.enabled: false in devenv.ts .*whose nodes can mount NFS$/);
  });

  it("k3d: RWX through the shared host directory, so a FailedMount is not final and a failure says to recreate a cluster without the mount", async () => {
    const traits = traitsOf({ provider: "k3d" });
    expect(traits.rwx).toMatchObject({ via: "shared-path", nodePath: "/var/lib/devenv/rwx" });
    const advice = nfsMountAdvice(traits);
    expect(advice.cause).toContain("/var/lib/devenv/rwx, which every node mounts from one host directory");
    const err = (await pollVerdict("NFS ReadWriteMany", async () => rwxVerdict([{ name: "devenv-probe-rwx-a", phase: "Failed" }, { name: "devenv-probe-rwx-b", phase: "Succeeded" }]), 5000, 10, advice).catch((e: unknown) => e)) as { message: string; hint: string };
    expect(err.message).toMatch(/^addon probe failed: NFS ReadWriteMany: on k3d, ReadWriteMany volumes are directories of \/var\/lib\/devenv\/rwx.*: devenv-probe-rwx-a failed: the pods did not share the volume$/);
    expect(err.hint).toContain("devenv reset --cluster --yes");
  });

  it("kind: a FailedMount is retried by the kubelet, so it is only shown while pending", () => {
    const v = rwxVerdict([{ name: "a", phase: "Pending" }, { name: "b" }], ["mount failed: connection refused"], false);
    expect(v).toEqual({ status: "pending", detail: "a: Pending, b: not created; last mount failure: mount failed: connection refused" });
    expect(nfsMountAdvice(traitsOf({ provider: "kind" })).cause).toBe("the kubelet could not mount the NFS volume");
  });

  it("polling that times out names the probe, the wait and the last detail", async () => {
    await expect(pollVerdict("NFS ReadWriteMany", async () => ({ status: "pending", detail: "devenv-probe-rwx-a: Pending, devenv-probe-rwx-b: Pending" }), 60, 10)).rejects.toThrow(
      "timed out after 0.06 s waiting for NFS ReadWriteMany: devenv-probe-rwx-a: Pending, devenv-probe-rwx-b: Pending",
    );
  });
});
