// Telling "not up yet" from a real failure while waiting for a server (see src/wait).

/** Node socket errors that mean "not up yet". */
export function isTransientNetworkError(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return ["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"].includes(code ?? "");
}

/** The message of an unknown thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
