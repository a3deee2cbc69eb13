// Reads the build API's JSON event stream: turns it into progress lines and, on the first
// error event, into a report of the failing Dockerfile step with its output. Pure: the
// adapter feeds events in, tests feed recorded ones.

/** One decoded event of the build stream (classic builder, or BuildKit decoded by dockerode). */
export interface BuildEvent {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: { ID?: string };
}

/** The failing step: what ran, where it is in the Dockerfile, and what it printed. */
export interface BuildFailure {
  message: string;
  step?: string;
  /** 1-based line of the failing instruction in the Dockerfile, when it can be found. */
  line?: number;
  output: string[];
}

const CLASSIC_STEP = /^Step (\d+)\/\d+ : (.*)$/;
const BUILDKIT_STEP = /^\[[0-9a-f]{12}\] (.*)$/;
const OUTPUT_KEPT = 40;

/** Line numbers (1-based) where each instruction of a Dockerfile starts, in order. */
export function instructionLines(dockerfileText: string): number[] {
  const out: number[] = [];
  let continued = false;
  dockerfileText.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const isComment = line.startsWith("#");
    if (!continued && line && !isComment) out.push(i + 1);
    // A comment or blank line inside a continuation does not end it.
    if (line && !isComment) continued = line.endsWith("\\");
  });
  return out;
}

export class BuildOutput {
  private step?: string;
  private stepNo?: number;
  private output: string[] = [];
  failure?: BuildFailure;
  imageId?: string;

  constructor(private readonly dockerfileText = "") {}

  /** Feeds one event; returns the progress lines it produced. */
  feed(ev: BuildEvent): string[] {
    if (ev.aux?.ID) this.imageId = ev.aux.ID;
    if (ev.error || ev.errorDetail) {
      this.failure ??= this.fail(ev.errorDetail?.message ?? ev.error ?? "unknown build error");
      return [`ERROR: ${this.failure.message}`];
    }
    const text = ev.stream ?? (ev.status ? `${ev.status}${ev.progress ? ` ${ev.progress}` : ""}` : "");
    const lines = text.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.trim());
    for (const line of lines) this.track(line);
    return lines;
  }

  private track(line: string): void {
    const classic = CLASSIC_STEP.exec(line);
    const bk = classic ? null : BUILDKIT_STEP.exec(line);
    if (classic || bk) {
      this.step = classic ? classic[2] : bk![1];
      this.stepNo = classic ? Number(classic[1]) : undefined;
      this.output = [];
      return;
    }
    // The classic builder's own chatter is not the step's output.
    if (/^ ---> |^Removing intermediate container |^Successfully (built|tagged) /.test(line)) return;
    this.output.push(line);
    if (this.output.length > OUTPUT_KEPT) this.output.shift();
  }

  private fail(message: string): BuildFailure {
    const lines = instructionLines(this.dockerfileText);
    const line = this.stepNo !== undefined ? lines[this.stepNo - 1] : this.step ? this.findLine(this.step) : undefined;
    return { message: message.trim(), step: this.step, line, output: [...this.output] };
  }

  /** BuildKit names steps like `[stage 2/4] RUN make`: find the instruction's text in the file. */
  private findLine(step: string): number | undefined {
    const instr = step.replace(/^\[[^\]]*\]\s*/, "").trim();
    const idx = this.dockerfileText.split(/\r?\n/).findIndex((l) => instr && l.trim().startsWith(instr.slice(0, 40)));
    return idx >= 0 ? idx + 1 : undefined;
  }
}
