// Resource quantities in the canonical form the API server stores them in, and the fields that
// hold them. Follows k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity,
// CanonicalizeBytes): the suffix family of the input is kept (decimal SI `m`/`k`/`M`..., binary
// `Ki`/`Mi`..., exponent `e3`), the number is the smallest exact one: `1000m` → `1`, `0.5` →
// `500m`, `1024Mi` → `1Gi`, `1000` → `1k`, `1e3` stays `1e3`. Pure.

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL).map(([s, e]) => [e, s]));
const BINARY_BY_EXP = new Map(Object.entries(BINARY).map(([s, e]) => [e, s]));

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([numkMGTPE]|[KMGTPE]i)|[eE]([+-]?\d+))?$/;

const pow = (b: bigint, e: number) => b ** BigInt(e);

/** The canonical form of quantity `q`, or undefined when `q` is not a quantity. */
export function canonicalQuantity(q: string | number): string | undefined {
  const m = QUANTITY.exec(String(q).trim());
  if (!m) return undefined;
  const [, sign, num, suffix, exp] = m as unknown as [string, string, string, string | undefined, string | undefined];
  const [whole, frac = ""] = num.split(".");
  // value = mantissa × 10^scale (× 1024^binary for binary suffixes)
  let mantissa = BigInt(`${whole || "0"}${frac}` || "0");
  let scale = -frac.length;
  const format = suffix && suffix in BINARY ? "binary" : exp !== undefined ? "exponent" : "decimal";
  if (suffix && suffix in BINARY) mantissa *= pow(1024n, BINARY[suffix]!);
  else if (suffix) scale += DECIMAL[suffix]!;
  else if (exp !== undefined) scale += Number(exp);
  if (mantissa === 0n) return "0";
  const negative = sign === "-";
  // The server keeps nano precision at most, rounding up (away from zero) beyond it.
  if (scale < -9) {
    const div = pow(10n, -9 - scale);
    mantissa = mantissa / div + (mantissa % div ? 1n : 0n);
    scale = -9;
  }
  const s = negative ? "-" : "";
  if (format === "binary") {
    const integral = scale >= 0 ? mantissa * pow(10n, scale) : mantissa % pow(10n, -scale) === 0n ? mantissa / pow(10n, -scale) : undefined;
    // Between -1024 and 1024, or not a whole number: shown as decimal SI.
    if (integral !== undefined && integral >= 1024n) {
      let n = integral;
      let e = 0;
      while (n % 1024n === 0n && e < 6) {
        n /= 1024n;
        e++;
      }
      return `${s}${n}${BINARY_BY_EXP.get(e) ?? ""}`;
    }
  }
  // Decimal: trailing zeros into the exponent, the exponent down to a multiple of 3.
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    scale++;
  }
  const r = ((scale % 3) + 3) % 3;
  mantissa *= pow(10n, r);
  scale -= r;
  if (format === "exponent") return `${s}${mantissa}${scale === 0 ? "" : `e${scale}`}`;
  const si = DECIMAL_BY_EXP.get(scale);
  if (si !== undefined) return `${s}${mantissa}${si}`;
  // Beyond E: the number grows rather than the suffix.
  if (scale > 18) return `${s}${mantissa * pow(10n, scale - 18)}E`;
  return `${s}${mantissa}e${scale}`;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function canonicalMap(m: unknown): void {
  if (!isMap(m)) return;
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== "string" && typeof v !== "number") continue;
    const c = canonicalQuantity(v);
    if (c !== undefined) m[k] = c;
  }
}

const QUANTITY_MAPS = new Set(["requests", "limits", "hard", "capacity", "allocatable", "overhead", "max", "min", "defaultRequest", "maxLimitRequestRatio"]);

/**
 * Rewrites, in place, the quantity-typed fields of an object to their canonical form:
 * `resources.requests/limits` (containers, PVCs, volumeClaimTemplates), `sizeLimit`,
 * ResourceQuota `hard`, LimitRange limits, HPA targets (`value`, `averageValue`).
 */
export function canonicalizeQuantities<T>(obj: T): T {
  const walk = (v: unknown, key: string) => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
    if (!isMap(v)) return;
    for (const [k, child] of Object.entries(v)) {
      if (QUANTITY_MAPS.has(k) && (key === "resources" || key === "spec" || key === "limits" || key === "status")) canonicalMap(child);
      else if (k === "sizeLimit" && (typeof child === "string" || typeof child === "number")) v[k] = canonicalQuantity(child) ?? child;
      else if ((k === "value" || k === "averageValue") && key === "target" && (typeof child === "string" || typeof child === "number")) v[k] = canonicalQuantity(child) ?? child;
      else walk(child, k);
    }
  };
  walk(obj, "");
  return obj;
}
