// Reads the build API's JSON event stream: turns it into progress lines and, on the first
// error event, into a report of the failing Dockerfile step with its output. Pure: the
// adapter feeds events in, tests feed recorded ones.

/** One decoded event of the build stream (classic builder, or BuildKit decoded by the Docker client's followBuild). */
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
// followBuild's decoder prints BuildKit vertices as `[sha256:247b9] [2/3] RUN ...`.
const BUILDKIT_STEP = /^\[(?:sha256:)?[0-9a-f]{5,64}\] (.*)$/;
// Lines that decoder itself writes for BuildKit; anything else is a step's log message.
const BUILDKIT_OWN = /^(\[(?:sha256:)?[0-9a-f]{5,64}\] |ERROR: |CACHED: |Built image: |.*: \d+% \(\d+\/\d+\)$)/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})+(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The decoder (the engine library's, v4) hands BuildKit log messages over base64-encoded (protobuf bytes → string);
 *  decode them when they are base64 of printable text, keep anything else as is. */
export function decodeBuildkitLog(line: string): string {
  if (BUILDKIT_OWN.test(line) || !BASE64.test(line)) return line;
  const text = Buffer.from(line, "base64").toString("utf8");
  return /^[\P{Cc}\n\r\t\u001b]*$/u.test(text) && !text.includes("\uFFFD") ? text : line;
}
const OUTPUT_KEPT = 40;

/** Each instruction of a Dockerfile: the line it starts on (1-based) and its text with
 *  continuations joined and whitespace collapsed (how builders print steps, modulo spacing). */
export function dockerfileInstructions(dockerfileText: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let continued = false;
  dockerfileText.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    const isComment = line.startsWith("#");
    if (!line || isComment) return; // blank and comment lines never end a continuation
    const part = line.endsWith("\\") ? line.slice(0, -1) : line;
    if (continued) out[out.length - 1]!.text += ` ${part}`;
    else out.push({ line: i + 1, text: part });
    continued = line.endsWith("\\");
  });
  return out.map((ins) => ({ line: ins.line, text: collapse(ins.text) }));
}

/** Line numbers (1-based) where each instruction of a Dockerfile starts, in order. */
export function instructionLines(dockerfileText: string): number[] {
  return dockerfileInstructions(dockerfileText).map((i) => i.line);
}

const collapse = (s: string) => s.replace(/\s+/g, " ").trim();

export class BuildOutput {
  private step?: string;
  private stepNo?: number;
  private output: string[] = [];
  failure?: BuildFailure;
  imageId?: string;

  constructor(
    private readonly dockerfileText = "",
    /** Events come from BuildKit (through followBuild's decoder). */
    private readonly buildkit = false,
  ) {}

  /** Feeds one event; returns the progress lines it produced. */
  feed(ev: BuildEvent): string[] {
    if (ev.aux?.ID) this.imageId = ev.aux.ID;
    if (ev.error || ev.errorDetail) {
      this.failure ??= this.fail(ev.errorDetail?.message ?? ev.error ?? "unknown build error");
      return [`ERROR: ${this.failure.message}`];
    }
    const text = ev.stream ?? (ev.status ? `${ev.status}${ev.progress ? ` ${ev.progress}` : ""}` : "");
    const raw = text.split(/\r?\n/).filter((l) => l.trim());
    const lines = (this.buildkit ? raw.flatMap((l) => decodeBuildkitLog(l.trim()).split(/\r?\n/)) : raw).map((l) => l.trimEnd()).filter((l) => l.trim());
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
    if (/^ ---> |^Removing intermediate container |^Successfully (built|tagged) |^ERROR: |^CACHED: /.test(line)) return;
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
    const instr = collapse(step.replace(/^\[[^\]]*\]\s*/, ""));
    if (!instr) return undefined;
    const all = dockerfileInstructions(this.dockerfileText);
    return (all.find((i) => i.text === instr) ?? all.find((i) => i.text.startsWith(instr) || instr.startsWith(i.text)))?.line;
  }
}
