// A compose service name in the form Kubernetes names take. Compose allows `[a-zA-Z0-9._-]` in a
// service name (compose-spec/compose-spec@170098ba `schema/compose-spec.json`: `services` patternProperties `^[a-zA-Z0-9._-]+$`); a Kubernetes
// object name is a lowercase RFC 1123 label (Services: RFC 1035), so `front_end` runs as
// `front-end`. convert names its objects this way, and compare-compose pairs by it. Pure.

/** A compose service name as a Kubernetes object name (a DNS label): lowercase, `-` for the rest. */
export function kubeName(name: string): string {
  const n = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63).replace(/-+$/, "");
  return /^[a-z]/.test(n) ? n : `s-${n}`.slice(0, 63);
}
