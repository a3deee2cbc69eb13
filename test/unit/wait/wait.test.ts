// The one wait: verdicts, the explained timeout, failing at once, backoff, and the abort signal.
import { describe, expect, it } from "vitest";
import { isDevenvError, type DevenvError } from "../../../src/errors/devenv-error.js";
import { done, failed, formatWait, notYet, waitFor, type Verdict } from "../../../src/wait/wait.js";

const rejection = (p: Promise<unknown>) => p.then(() => { throw new Error("expected a rejection"); }, (e: unknown) => e as DevenvError);

describe("waitFor", () => {
  it("returns the value once the check is done", async () => {
    let n = 0;
    const value = await waitFor("the answer", () => (++n < 3 ? notYet(`only ${n}`) : done(42)), { timeoutMs: 5000, intervalMs: 5 });
    expect(value).toBe(42);
    expect(n).toBe(3);
  });

  it("on timeout names what, for how long, and the last reason, with a hint", async () => {
    let n = 0;
    const e = await rejection(waitFor("NFS ReadWriteMany", () => notYet(n++ === 0 ? "no pods yet" : "the probe pod is Pending (0/1 nodes available)"), { timeoutMs: 150, intervalMs: 10 }));
    expect(isDevenvError(e)).toBe(true);
    expect(e.message).toBe("timed out after 0.15 s waiting for NFS ReadWriteMany: the probe pod is Pending (0/1 nodes available)");
    expect(e.hint).toBeTruthy();
    expect(n).toBeGreaterThan(2);
  });

  it("lets the caller explain a timeout (where, hint, details) and keeps its own where/hint otherwise", async () => {
    const explained = await rejection(waitFor("web", () => notYet("0/1 available"), { timeoutMs: 50, intervalMs: 10, explain: (last) => ({ details: `pod web-1: ${last}`, hint: "see the logs" }) }));
    expect(explained).toMatchObject({ message: "timed out after 0.05 s waiting for web: 0/1 available", details: "pod web-1: 0/1 available", hint: "see the logs" });
    const plain = await rejection(waitFor("db", () => notYet("refused"), { timeoutMs: 50, intervalMs: 10, where: "seeds.db", hint: "start it" }));
    expect(plain).toMatchObject({ where: "seeds.db", hint: "start it" });
    const broken = await rejection(waitFor("db", () => notYet("refused"), { timeoutMs: 50, intervalMs: 10, explain: () => { throw new Error("no logs"); } }));
    expect(broken.message).toBe("timed out after 0.05 s waiting for db: refused");
  });

  it("a failed verdict stops at once, with its own error or one made from the reason", async () => {
    let n = 0;
    const started = Date.now();
    const own = new Error("Job failed: BackoffLimitExceeded");
    expect(await rejection(waitFor("the job", () => (++n, failed("backoff", own)), { timeoutMs: 10_000, intervalMs: 1000 }))).toBe(own);
    expect(n).toBe(1);
    expect(Date.now() - started).toBeLessThan(500);
    const made = await rejection(waitFor("ingress", () => failed("something else answered"), { timeoutMs: 10_000, hint: "check the port" }));
    expect(made).toMatchObject({ message: "ingress failed: something else answered", hint: "check the port" });
  });

  it("a check that throws ends the wait with that error", async () => {
    const boom = new Error("401 Unauthorized");
    let n = 0;
    expect(
      await rejection(
        waitFor("api", () => {
          n++;
          throw boom;
        }, { timeoutMs: 10_000, intervalMs: 10 }),
      ),
    ).toBe(boom);
    expect(n).toBe(1);
  });

  it("stops on the abort signal, between checks too, with the signal's reason", async () => {
    const ac = new AbortController();
    let n = 0;
    const waiting = rejection(waitFor("forever", () => (++n, notYet("still")), { timeoutMs: 60_000, intervalMs: 10_000, signal: ac.signal }));
    await new Promise((r) => setTimeout(r, 30));
    const started = Date.now();
    ac.abort(new Error("interrupted"));
    expect(((await waiting) as Error).message).toBe("interrupted");
    expect(Date.now() - started).toBeLessThan(500);
    expect(n).toBe(1);
    const pre = AbortSignal.abort(new Error("already"));
    expect(((await rejection(waitFor("x", () => done(), { timeoutMs: 1000, signal: pre }))) as Error).message).toBe("already");
  });

  it("gives each check a signal that aborts at the deadline", async () => {
    let seen: AbortSignal | undefined;
    await rejection(waitFor("slow", async ({ signal }): Promise<Verdict> => {
      seen = signal;
      await new Promise((r) => setTimeout(r, 80));
      return notYet("slow");
    }, { timeoutMs: 50, intervalMs: 10 }));
    expect(seen?.aborted).toBe(true);
  });

  it("backs off from intervalMs to maxIntervalMs", async () => {
    const at: number[] = [];
    await rejection(waitFor("backoff", () => (at.push(Date.now()), notYet("down")), { timeoutMs: 700, intervalMs: 50, maxIntervalMs: 200 }));
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(gaps[0]).toBeLessThan(150);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(150);
    expect(Math.max(...gaps)).toBeLessThan(350);
  });

  it("formats durations in seconds", () => {
    expect(formatWait(180_000)).toBe("180 s");
    expect(formatWait(1500)).toBe("1.5 s");
    expect(formatWait(2000)).toBe("2 s");
  });
});
