// Kubernetes resource quantities as numbers: `500m` CPU → 0.5 cores, `512Mi` → bytes. Pure.

const SUFFIX: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

/** Parses a quantity (`1`, `0.5`, `250m`, `1Gi`, `1e3`); undefined if malformed. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === "number") return q;
  if (typeof q !== "string") return undefined;
  const m = /^([0-9.]+(?:e[0-9]+)?)([a-zA-Z]*)$/.exec(q.trim());
  const unit = m ? SUFFIX[m[2]!] : undefined;
  return m && unit !== undefined ? Number(m[1]) * unit : undefined;
}

/** Bytes as the shortest exact binary quantity: 536870912 → `512Mi`. */
export function formatBytes(bytes: number): string {
  for (const [s, f] of [["Gi", 1024 ** 3], ["Mi", 1024 ** 2], ["Ki", 1024]] as const) if (bytes % f === 0 && bytes >= f) return `${bytes / f}${s}`;
  return String(bytes);
}

/** Cores as a CPU quantity: 0.5 → `500m`, 2 → `2`. */
export function formatCpus(cpus: number): string {
  return Number.isInteger(cpus) ? String(cpus) : `${Math.round(cpus * 1000)}m`;
}
