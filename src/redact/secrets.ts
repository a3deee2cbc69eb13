// The one masking function every printed value passes through. A value is secret by NAME (a
// variable named like PASSWORD, MYSQL_PWD, DB_PASS, SECRET, TOKEN, API_KEY, PRIVATE_KEY...), by
// ORIGIN (it comes from a Kubernetes Secret: callers pass `secret: true`) or by CONTENT (a
// connection string's `Password=`, a URL with a password, a MySQL DSN's `user:password@`, a PEM private key, a well-known token
// shape, the argument of a secret flag like `--requirepass X`, `redis-cli -a X`, `mysql -pX`).
// Flag-like values (yes/no/true/false/on/off/1/0/empty) are never secrets:
// `ALLOW_EMPTY_PASSWORD=yes` stays readable. Secret values are only ever shown as `***`. Pure.

export const MASK = "***";

/** Variable names that hold secrets. `PWD` alone (the working directory) is not one; `MYSQL_PWD` is. */
const SECRET_NAME =
  /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|PRIVATE|_PWD($|_)|^PWD_|(^|_)PASS($|_)|(^|_)AUTH$|(^|_)API_?KEY|(^|_)KEY$|_KEY_|(^|_)ACCESS_?KEY|(^|_)SALT$|(^|_)DSN$)/i;

/** Values that only switch something on or off: never secrets, whatever the variable's name. */
const FLAG_LIKE = /^(|yes|no|y|n|true|false|on|off|1|0|enabled|disabled|none|null)$/i;

/** A value that is only a reference to another variable (`$VAR`, `${VAR}`, `$(VAR)`): no secret in it. */
const REFERENCE = /^(\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\}|\$\([A-Za-z_][A-Za-z0-9_]*\))$/;

/** `scheme://user:password@` — any character but whitespace in the password (`/` and `@` included). */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:)([^\s]+)@(?=[^\s@]*($|\s|["'`]))/gi;

/** A Go MySQL driver DSN, `user:password@net(addr)/db` or `user:password@/db`: the password runs
 *  from the first `:` to the last `@` before the `/` (go-sql-driver/mysql dsn.go ParseDSN). */
const MYSQL_DSN = /(^|[\s"'=])([^\s:@/"'=()]+:)(?!\/\/)(\S+)@(?=[a-z0-9]*\([^()\s]*\)\/|\/)/gi;

/** `Password=...;` / `Pwd=...` in connection strings (at the start or after `;`), up to the next `;`. */
const CONN_STRING_PASSWORD = /((?:^|;)\s*(?:password|pwd|passwd|pass|secret|token|accountkey|sharedaccesskey)\s*=\s*)([^;]*)/gi;

const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g;

/** Well-known token shapes: GitHub, GitLab, Slack, AWS access keys, Google API keys, Stripe, OpenAI-style, npm, JWTs. */
const TOKEN_SHAPES = [
  /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}/g,
  /\b(sk|rk|pk)_(live|test)_[0-9A-Za-z]{16,}/g,
  /\bsk-[A-Za-z0-9_-]{20,}/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
];

/** Flags whose next argument (or `--flag=value`) is a secret, for any program. */
const SECRET_FLAG = /^--?(pass(word)?|requirepass|masterauth|token|secret|auth|api-?key|access-?key|secret-?key|client-?secret|private-?key-?data)$/i;
/** Short flags that are secret only for some programs (`-p` is a port for redis-cli and pg_isready). */
const PROGRAM_FLAGS: [RegExp, RegExp][] = [
  [/(^|\/)(redis|valkey|keydb)-cli$/, /^-a$/],
  [/(^|\/)(mysql|mysqladmin|mysqldump|mysqlshow|mysqlcheck|mariadb|mariadb-admin|mariadb-dump)$/, /^-p$/],
  [/(^|\/)sqlcmd$/, /^-P$/],
];
/** `mysql -pSECRET`: the password attached to `-p`. */
const MYSQL_PROGRAM = PROGRAM_FLAGS[1]![0];

function isFlagLike(value: string): boolean {
  return FLAG_LIKE.test(value.trim().replace(/^(["'])(.*)\1$/, "$2"));
}

/** `POSTGRES_PASSWORD_FILE=/run/secrets/db`: the variable names the file the secret is in (the
 *  `_FILE` convention of the official images, read with compose `secrets:`), so its value, an
 *  absolute path, is no secret. Secret content is still caught by content. */
function isSecretFilePath(name: string, value: string): boolean {
  return /_(FILE|PATH|DIR)$/i.test(name) && /^\/[^\s]*$/.test(value.trim());
}

function isReference(value: string): boolean {
  return REFERENCE.test(value.trim().replace(/^(["'])(.*)\1$/, "$2"));
}

/** Whether a variable called `name` holds a secret by its name alone. */
export function secretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Whether the content of `value` holds something secret (see the file comment), whatever its name. */
export function secretContent(value: string): boolean {
  return redactText(value) !== value;
}

/** Whether `name=value` should live in a Secret: a secret name with a real (not flag-like) value, or secret content. */
export function looksSecret(name: string, value?: string | null): boolean {
  if (value != null && (isFlagLike(value) || isSecretFilePath(name, value))) return false;
  return secretName(name) || (value != null && secretContent(value));
}

export interface MaskOptions {
  /** The variable (or key) the value belongs to: a secret name masks the whole value. */
  name?: string;
  /** The value is secret whatever it looks like (it comes from a Secret, or devenv.ts secrets). */
  secret?: boolean;
}

/** THE masking function: `value` as it may be printed. Whole values are `***` when secret by name
 *  or origin; otherwise the secret parts inside it (URL passwords, `Password=`, keys, tokens,
 *  secret flags' arguments) are replaced by `***`. */
export function mask(value: string, o: MaskOptions = {}): string {
  if (o.secret) return MASK;
  if (o.name !== undefined && secretName(o.name) && !isFlagLike(value) && !isReference(value) && !isSecretFilePath(o.name, value)) return MASK;
  return redactText(value);
}

/** `***` for secrets, the value (masked by content) quoted otherwise. */
export function shown(value: string | null | undefined, secret: boolean, name?: string): string {
  if (value === undefined || value === null) return "(unset)";
  const m = mask(value, { secret, ...(name !== undefined ? { name } : {}) });
  return m === MASK ? MASK : JSON.stringify(m);
}

/** Free text (a message, a shell line, a value) with every secret part found by content replaced by `***`. */
export function redactText(text: string): string {
  let out = text.replace(PEM_PRIVATE_KEY, MASK);
  out = out.replace(URL_USERINFO, (_m, head: string, pw: string) => (isReference(pw) ? `${head}${pw}@` : `${head}${MASK}@`));
  out = out.replace(MYSQL_DSN, (m, pre: string, head: string, pw: string) => (isReference(pw) || pw === MASK ? m : `${pre}${head}${MASK}@`));
  out = out.replace(CONN_STRING_PASSWORD, (m, head: string, pw: string) => (isFlagLike(pw) || isReference(pw) ? m : `${head}${MASK}`));
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, MASK);
  return redactWords(out);
}

/** Split on whitespace, keeping quotes with their word: enough to find flags in a shell line. */
const WORD = /("[^"]*"|'[^']*'|[^\s"']+)+/g;
const SHELL_SEPARATOR = /^(;|&&|\|\||\||&)$/;

/** Words of a shell-ish line: secret flags' arguments and `NAME=value` with a secret name. */
function redactWords(line: string, depth = 0): string {
  const words = [...line.matchAll(WORD)];
  if (!words.length || depth > 4) return line;
  const masked = maskWords(words.map((w) => w[0]), depth + 1);
  let out = "";
  let at = 0;
  words.forEach((w, i) => {
    out += line.slice(at, w.index) + masked[i]!;
    at = w.index + w[0].length;
  });
  return out + line.slice(at);
}

function unquote(w: string): string {
  return w.replace(/^(["'])(.*)\1$/, "$2");
}

/** The core of argv masking, over words already split. */
function maskWords(words: readonly string[], depth = 0): string[] {
  let program = "";
  let atStart = true;
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const raw = words[i]!;
    const w = unquote(raw);
    if (SHELL_SEPARATOR.test(w)) {
      atStart = true;
      out.push(raw);
      continue;
    }
    const prev = i > 0 ? unquote(words[i - 1]!) : "";
    const prevIsSecretFlag = i > 0 && !SHELL_SEPARATOR.test(prev) && (SECRET_FLAG.test(prev) || PROGRAM_FLAGS.some(([p, f]) => p.test(program) && f.test(prev)));
    if (prevIsSecretFlag && !w.startsWith("-") && !isFlagLike(w) && !isReference(w)) {
      out.push(MASK);
      continue;
    }
    const eq = w.indexOf("=");
    if (eq > 0) {
      const name = w.slice(0, eq).replace(/^-+/, "");
      const value = w.slice(eq + 1);
      if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) && (secretName(name) || SECRET_FLAG.test(w.slice(0, eq))) && !isFlagLike(value) && !isReference(value)) {
        out.push(`${raw.startsWith("'") || raw.startsWith('"') ? raw[0] : ""}${w.slice(0, eq)}=${MASK}${raw.endsWith("'") || raw.endsWith('"') ? raw.at(-1) : ""}`);
        continue;
      }
    }
    if (/^-p.+/.test(w) && MYSQL_PROGRAM.test(program) && !isReference(w.slice(2))) {
      out.push(`-p${MASK}`);
      continue;
    }
    // A command's words (`sh -c "redis-cli -a x ping"`) are lines of their own.
    // Only a quoted word, or an argv element (depth 0), is split again: a word split from a line is no shorter.
    out.push(/\s/.test(w) && w !== raw ? raw[0] + redactWords(w, depth) + raw.at(-1)! : /\s/.test(w) && depth === 0 ? redactWords(w, depth) : raw);
    // The program: the first word of a command, past `VAR=x` assignments and wrappers.
    if (atStart && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) && !/^(exec|env|sudo|nice|time|command|timeout)$/.test(w.replace(/^.*\//, ""))) {
      program = w;
      atStart = false;
    }
  }
  return out;
}

/** A command line with its secret arguments as `***`: values after secret flags, `NAME=value`
 *  with a secret name, `--password=value`, URLs carrying credentials, keys and tokens. For
 *  debug lines, messages and reports. */
export function redactArgv(argv: readonly string[]): string[] {
  return maskWords(argv).map((w) => (w === MASK ? w : redactText(w)));
}
