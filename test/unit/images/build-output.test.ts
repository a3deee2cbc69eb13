// The build stream reader: progress lines, and the failing step with its output and line.
import { describe, expect, it } from "vitest";
import { BuildOutput, decodeBuildkitLog, instructionLines } from "../../../src/images/build-output.js";

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

  it("understands BuildKit events as the Docker client's decoder formats them (short digests, base64 logs)", () => {
    // Recorded from the decoder behind followBuild (src/docker) against Docker 20.10 with version "2".
    const out = new BuildOutput(dockerfile, true);
    const lines = [
      { stream: "[sha256:247b9] [internal] load remote build context\n" },
      { stream: "[sha256:c61df] [3/3] RUN echo boom && exit 3\n" },
      { stream: "Ym9vbQo=\n" },
      { stream: "ERROR: executor failed running [/bin/sh -c echo boom && exit 3]: exit code: 3\n" },
      { errorDetail: { message: "executor failed running [/bin/sh -c echo boom && exit 3]: exit code: 3" } },
    ].flatMap((e) => out.feed(e));
    expect(lines).toContain("boom");
    expect(out.failure).toMatchObject({ step: "[3/3] RUN echo boom && exit 3", line: 6, output: ["boom"] });
  });

  it("decodes only base64 of printable text, never the decoder's own lines", () => {
    expect(decodeBuildkitLog("aGVsbG8tYmsK")).toBe("hello-bk\n");
    expect(decodeBuildkitLog("CACHED: [2/3] RUN x")).toBe("CACHED: [2/3] RUN x");
    expect(decodeBuildkitLog("plain words")).toBe("plain words");
    expect(decodeBuildkitLog("AAECAw==")).toBe("AAECAw=="); // binary, not text
  });

  it("remembers the image ID from the aux event", () => {
    const out = new BuildOutput();
    out.feed({ aux: { ID: "sha256:abc" } });
    expect(out.imageId).toBe("sha256:abc");
  });
});
