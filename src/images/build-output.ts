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

/** Why a base image could not be pulled, from the engine's error text. */
export type PullProblem = "unreachable" | "rate-limited" | "unauthorised" | "not-found";

export interface PullFailure {
  problem: PullProblem;
  /** The image the build tried to pull, when it can be told (BuildKit names it; for the classic builder it is the FROM with its ARGs filled). */
  image?: string;
}

const PULL_STEP = /^(?:\[[^\]]*\]\s*)?FROM\s|load metadata for |^\[internal\] load metadata/i;
const PULL_TEXT = /pull access denied|manifest unknown|toomanyrequests|failed to resolve source metadata|failed to do request|registry-1\.docker\.io|\/v2\/|error pulling image|not found: manifest|pull rate limit/i;
const CLASSES: [PullProblem, RegExp][] = [
  ["rate-limited", /toomanyrequests|rate limit|\b429\b/i],
  ["unauthorised", /unauthori[sz]ed|authentication required|no basic auth credentials|denied|\b401\b|\b403\b/i],
  ["not-found", /manifest unknown|not found|does not exist|no such image/i],
  ["unreachable", /dial tcp|no such host|i\/o timeout|connection refused|network is unreachable|tls handshake timeout|context deadline exceeded|server misbehaving|temporary failure in name resolution|connection reset|EOF/i],
];

/** A build failure that is a failed pull of a base image, classified; undefined for a real Dockerfile error. Pure. */
export function pullFailure(f: BuildFailure, dockerfileText = "", buildArgs: Record<string, string> = {}): PullFailure | undefined {
  const step = f.step ?? "";
  if (!PULL_STEP.test(step) && !PULL_TEXT.test(f.message)) return undefined;
  // A RUN that itself fails to download something is the step's own error, not a base-image pull.
  if (/^(?:\[[^\]]*\]\s*)?RUN\s/i.test(step)) return undefined;
  const text = [f.message, ...f.output].join("\n");
  const problem = CLASSES.find(([, re]) => re.test(text))?.[0];
  if (!problem) return undefined;
  const named = /load metadata for ([^\s,]+)/.exec(step) ?? /load metadata for ([^\s,]+)/.exec(text);
  const from = /^(?:\[[^\]]*\]\s*)?FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(step);
  const image = named ? shortRef(named[1]!) : from ? fillArgs(from[1]!, dockerfileText, buildArgs) : undefined;
  return { problem, ...(image ? { image } : {}) };
}

/** `docker.io/library/python:3` → `python:3`, as the Dockerfile and imageOverrides write it. */
function shortRef(ref: string): string {
  return ref.replace(/^docker\.io\/(library\/)?/, "");
}

/** `${BASE_IMAGE}` in a FROM, filled from the build args, else the ARG's default before the first FROM. */
function fillArgs(ref: string, dockerfileText: string, buildArgs: Record<string, string>): string | undefined {
  const defaults: Record<string, string> = {};
  for (const ins of dockerfileInstructions(dockerfileText)) {
    if (/^FROM\s/i.test(ins.text)) break;
    const m = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=("?)([^"\s]*)\2/i.exec(ins.text);
    if (m) defaults[m[1]!] = m[3]!;
  }
  let unknown = false;
  const filled = ref.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a: string | undefined, dflt: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    const v = buildArgs[name] ?? defaults[name] ?? dflt;
    if (v === undefined) unknown = true;
    return v ?? "";
  });
  return unknown ? undefined : filled;
}

const PULL_WHY: Record<PullProblem, string> = {
  unreachable: "the registry is unreachable from the engine (offline, DNS, proxy or firewall)",
  "rate-limited": "the registry rate-limited the pull (Docker Hub's anonymous limit: `docker login` raises it)",
  unauthorised: "the registry refused the pull as unauthorised (a private image needs `docker login <registry>`; a misspelt one looks the same)",
  "not-found": "the registry has no such image or tag (check the name)",
};

/** The error text of a failed base-image pull: what failed, why, and how to point the build at a local or mirrored image. Pure. */
export function describePullFailure(p: PullFailure, imageName: string, arg?: { name: string; inDevenv: boolean }): { message: string; hint: string } {
  const what = p.image ?? "its base image";
  const ref = p.image ?? "<image>";
  const mirror = `mirror.example/${ref.replace(/^[^/]+\.[^/]+\//, "")}`;
  const map = `imageOverrides: { ${JSON.stringify(ref)}: ${JSON.stringify(mirror)} } in devenv.ts, or DEVENV_IMAGE_OVERRIDES=${ref}=<local image> (one \`docker images\` lists)`;
  const how = !arg
    ? `Point it at a local or mirrored image: write the FROM as \`ARG BASE_IMAGE=${ref}\` + \`FROM \${BASE_IMAGE}\`, set images.${imageName}.buildArgs: { BASE_IMAGE: ${JSON.stringify(ref)} }, then map it with ${map}; or \`docker tag <local image> ${ref}\``
    : arg.inDevenv
      ? `Point it at a local or mirrored image: ${map}; they rewrite build arg ${arg.name}, which the FROM takes`
      : `Point it at a local or mirrored image: name the build arg in devenv.ts (images.${imageName}.buildArgs: { ${arg.name}: ${JSON.stringify(ref)} }), then map it with ${map}`;
  return {
    message: `image "${imageName}" could not be built: pulling ${what} failed: ${PULL_WHY[p.problem]}`,
    hint: `the Dockerfile is not at fault. ${how}`,
  };
}
