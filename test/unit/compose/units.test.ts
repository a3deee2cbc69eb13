import { describe, expect, it } from "vitest";
import { parseDockerfileHealthcheck } from "../../../src/compose/dockerfile-healthcheck.js";
import { parseBytes, parseDuration, splitShellWords } from "../../../src/compose/units.js";

describe("compose value formats", () => {
  it("splits command strings like a shell, without expansion", () => {
    expect(splitShellWords(`gunicorn -w 1 --bind "0.0.0.0:8000" 'a b' c\\ d "q\\"x" $HOME ''`)).toEqual(["gunicorn", "-w", "1", "--bind", "0.0.0.0:8000", "a b", "c d", 'q"x', "$HOME", ""]);
  });
  it("parses durations and binary byte sizes", () => {
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("1h2m3.5s")).toBe(3_723_500);
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseBytes("512m")).toBe(512 * 1024 ** 2);
    expect(parseBytes("1GB")).toBe(1024 ** 3);
    expect(parseBytes("12 parsecs")).toBeUndefined();
  });
});

describe("Dockerfile HEALTHCHECK", () => {
  it("reads the last one, with options, line continuations and exec form", () => {
    const text = 'FROM x\nHEALTHCHECK CMD true\nHEALTHCHECK --interval=30s --timeout=3s \\\n  CMD ["curl", "-f", "http://localhost:8001/api/v1/health"]\n';
    expect(parseDockerfileHealthcheck(text)).toEqual({ test: ["CMD", "curl", "-f", "http://localhost:8001/api/v1/health"], intervalMs: 30_000, timeoutMs: 3000, startPeriodMs: undefined, retries: undefined, disabled: false });
  });
  it("shell form, NONE, and none at all", () => {
    expect(parseDockerfileHealthcheck("HEALTHCHECK CMD wget -qO- http://localhost/ || exit 1")!.test).toEqual(["CMD-SHELL", "wget -qO- http://localhost/ || exit 1"]);
    expect(parseDockerfileHealthcheck("HEALTHCHECK NONE")!.disabled).toBe(true);
    expect(parseDockerfileHealthcheck("FROM x\nRUN true\n")).toBeUndefined();
  });
});
