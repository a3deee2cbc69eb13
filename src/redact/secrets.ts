// What looks like a secret: a variable named like one (PASSWORD, SECRET, TOKEN, *_KEY...), or
// a URL carrying credentials. Secret values are only ever shown as `***`. Pure.

const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|CREDENTIAL|PRIVATE|(^|_)API_?KEY|(^|_)KEY$|_KEY_)/i;
const URL_WITH_CREDENTIALS = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;

/** Whether `name=value` should live in a Secret. */
export function looksSecret(name: string, value?: string | null): boolean {
  return SECRET_NAME.test(name) || (value != null && URL_WITH_CREDENTIALS.test(value));
}

/** `***` for secrets, the value quoted otherwise. */
export function shown(value: string | null | undefined, secret: boolean): string {
  if (value === undefined || value === null) return "(unset)";
  return secret ? "***" : JSON.stringify(value);
}

/** Flags whose next argument is a secret (`redis-cli -a …`, `--requirepass …`). */
const SECRET_FLAG = /^(-a|-p|--pass(word)?|--requirepass|--token|--secret|--auth|--api-key)$/i;

/** A command line with its secret arguments as `***`: values after secret flags, `NAME=value`
 *  with a secret name, `--password=value`, and URLs carrying credentials. For debug lines and messages. */
export function redactArgv(argv: readonly string[]): string[] {
  return argv.map((a, i) => {
    if (i > 0 && SECRET_FLAG.test(argv[i - 1]!)) return "***";
    const eq = a.indexOf("=");
    if (eq > 0 && looksSecret(a.slice(0, eq).replace(/^-+/, ""), a.slice(eq + 1))) return `${a.slice(0, eq)}=***`;
    return a.replace(/(:\/\/[^/@\s:]*:)[^/@\s]+@/g, "$1***@");
  });
}
