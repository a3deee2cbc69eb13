// Label and field selectors: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`.
import { badRequest } from "./status.js";

type Requirement = { key: string; op: "=" | "!=" | "in" | "notin" | "exists" | "!exists"; values: string[] };

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of selector) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

export function parseSelector(selector: string | null | undefined): Requirement[] {
  if (!selector) return [];
  return splitTerms(selector).map((term) => {
    let m = /^(\S+?)\s+(in|notin)\s+\((.*)\)$/.exec(term);
    if (m) return { key: m[1]!, op: m[2] as "in" | "notin", values: m[3]!.split(",").map((v) => v.trim()).filter(Boolean) };
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (m) return { key: m[1]!, op: m[2] === "!=" ? "!=" : "=", values: [m[3]!.trim()] };
    m = /^!\s*([^=!\s]+)$/.exec(term);
    if (m) return { key: m[1]!, op: "!exists", values: [] };
    if (/^[^=!\s(),]+$/.test(term)) return { key: term, op: "exists", values: [] };
    throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
  });
}

/** Whether `values` (labels, or flattened fields) satisfy every requirement. */
export function matches(reqs: Requirement[], values: Record<string, string | undefined>): boolean {
  return reqs.every((r) => {
    const v = values[r.key];
    switch (r.op) {
      case "=":
        return v === r.values[0];
      case "!=":
        return v !== r.values[0];
      case "in":
        return v !== undefined && r.values.includes(v);
      case "notin":
        return v === undefined || !r.values.includes(v);
      case "exists":
        return v !== undefined;
      case "!exists":
        return v === undefined;
    }
  });
}

/** The fields a field selector may name (the real server supports these on every type). */
export function selectableFields(obj: Record<string, any>): Record<string, string | undefined> {
  return {
    "metadata.name": obj.metadata?.name,
    "metadata.namespace": obj.metadata?.namespace,
    "involvedObject.name": obj.involvedObject?.name,
    "involvedObject.kind": obj.involvedObject?.kind,
    "involvedObject.namespace": obj.involvedObject?.namespace,
    "status.phase": obj.status?.phase,
    "spec.nodeName": obj.spec?.nodeName,
    type: obj.type,
  };
}
