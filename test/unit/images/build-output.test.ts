// The build stream reader: progress lines, and the failing step with its output and line.
import { describe, expect, it } from "vitest";
import { BuildOutput, instructionLines } from "../../../src/images/build-output.js";

const dockerfile = ["# syntax comment", "FROM devenv-local/debian:bookworm", "", "RUN echo one \\", "  && echo two", "RUN echo boom && exit 3", "CMD [\"x\"]"].join("\n");

describe("instructionLines", () => {
  it("finds where each instruction starts, across continuations and comments", () => {
    expect(instructionLines(dockerfile)).toEqual([2, 4, 6, 7]);
    expect(instructionLines("FROM a\nRUN x \\\n# inside\n  y\nCMD z")).toEqual([1, 2, 5]);
  });
});

describe("BuildOutput", () => {
  it("reports the classic builder's failing step, its line and its output", () => {
    const out = new BuildOutput(dockerfile);
    const events = [
      { stream: "Step 1/4 : FROM devenv-local/debian:bookworm\n" },
      { stream: " ---> bc6adcf09c65\n" },
      { stream: "Step 2/4 : RUN echo one   && echo two\n" },
      { stream: "one\ntwo\n" },
      { stream: "Removing intermediate container 1\n" },
      { stream: "Step 3/4 : RUN echo boom && exit 3\n" },
      { stream: " ---> Running in 0a1b\n" },
      { stream: "boom\n" },
      { errorDetail: { code: 3, message: "The command '/bin/sh -c echo boom && exit 3' returned a non-zero code: 3" }, error: "x" },
    ];
    const lines = events.flatMap((e) => out.feed(e));
    expect(lines).toContain("boom");
    expect(out.failure).toEqual({
      message: "The command '/bin/sh -c echo boom && exit 3' returned a non-zero code: 3",
      step: "RUN echo boom && exit 3",
      line: 6,
      output: ["boom"],
    });
  });

  it("fails on an error event even with no step yet, and keeps the first error", () => {
    const out = new BuildOutput("");
    out.feed({ error: "dockerfile parse error line 1: unknown instruction: FORM" });
    out.feed({ error: "second" });
    expect(out.failure?.message).toMatch(/unknown instruction/);
    expect(out.failure?.step).toBeUndefined();
  });

  it("understands BuildKit step lines as decoded by dockerode", () => {
    const out = new BuildOutput(dockerfile);
    out.feed({ stream: "[0123456789ab] [2/3] RUN echo boom && exit 3\n" });
    out.feed({ stream: "boom\n" });
    out.feed({ errorDetail: { message: "process did not complete successfully: exit code: 3" } });
    expect(out.failure).toMatchObject({ step: "[2/3] RUN echo boom && exit 3", line: 6, output: ["boom"] });
  });

  it("remembers the image ID from the aux event", () => {
    const out = new BuildOutput();
    out.feed({ aux: { ID: "sha256:abc" } });
    expect(out.imageId).toBe("sha256:abc");
  });
});
