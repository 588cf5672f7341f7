import path from "node:path";
import { DATA_LINKING, getField, SIMPLE_BINDINGS } from "../generator/bindings.js";
import { ABSENT_DEFAULTS, keyDef } from "../generator/keys.js";
import { pathFlavor } from "../generator/paths.js";
import { schemaAt } from "../manifest/schema-walk.js";
import { enabledTarget, TARGET_ORDER, type TargetName } from "../manifest/targets.js";
import { sameValue } from "../generator/import.js";
import { LICENCE_KEY, type SideView } from "./view.js";

/** The fields each buildApp.4DSettings key with a documented default comes from (none: a derived flag). */
const FIELD_KEYS = new Map<string, string>([
  ...SIMPLE_BINDINGS.map(([field, key]): [string, string] => [field, key]),
  ["targets.standalone.dataLinking", "RuntimeVL/LastDataPathLookup"],
  ["targets.server.dataLinking", "CS/LastDataPathLookup"],
]);

/** What 4D does when a field's key is absent, as a value of the field (reference §3.7, §4). */
function absentDefault(field: string): unknown {
  const key = FIELD_KEYS.get(field);
  const raw = key === undefined ? undefined : ABSENT_DEFAULTS.get(key);
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) return [];
  const text = raw as string;
  if (field.endsWith(".dataLinking")) return Object.entries(DATA_LINKING).find(([, v]) => v === text)?.[0];
  if (/^(True|False)$/.test(text)) return text === "True";
  return /^\d+$/.test(text) ? Number(text) : text;
}

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);

const targetOf = (field: string) => /^targets\.(\w+)(?:\.|$)/.exec(field)?.[1] as TargetName | undefined;

/**
 * The fields compared: those either side writes, with a target's presence read as `targets.<name>.enabled`, the
 * destinations as `output.mac` and `output.win` (where each platform's build goes, however written), and
 * licence files apart (they are compared by file, masked).
 */
export function comparedFields(base: SideView, head: SideView): string[] {
  const written = new Set([...base.plan.written, ...head.plan.written]);
  const fields = new Set<string>(["output.mac", "output.win"]);
  for (const field of written) {
    const target = targetOf(field);
    if (target && (TARGET_ORDER as readonly string[]).includes(target)) fields.add(`targets.${target}.enabled`);
    if (field === "$schema" || field === "licenses" || /^output\./.test(field) || /^targets\.\w+$/.test(field) || /^licenses\.files\b/.test(field)) continue;
    if (Object.values(LICENCE_KEY).some((key) => field === `passthrough.${key}` || field.startsWith(`passthrough.${key}.`))) continue;
    fields.add(field.startsWith("passthrough.") ? `passthrough.${field.slice("passthrough.".length).split(".")[0]}` : field);
  }
  // A mapping written as {} on one side is compared through the fields below it that the other side writes.
  return [...fields].filter((f) => ![...fields].some((g) => g.startsWith(`${f}.`))).sort((a, b) => a.localeCompare(b));
}

/**
 * A field's meaning on one side: its resolved value; when the side leaves it out, what 4D does without its key,
 * else the schema's default; empty text, lists and mappings are no value. Derived values are computed as the
 * builder does (a target is built when declared and not switched off; signing.mac.sign defaults to "an identity is
 * given").
 */
export function effectiveValue(view: SideView, field: string): unknown {
  const { config } = view;
  const target = /^targets\.(\w+)\.enabled$/.exec(field)?.[1] as TargetName | undefined;
  if (target) return enabledTarget(config, target);
  if (field === "signing.mac.sign") return config.signing.mac.sign ?? config.signing.mac.identity !== undefined;
  const output = /^output\.(mac|win)$/.exec(field)?.[1] as "mac" | "win" | undefined;
  if (output) return view.literal.has(`output.${output}`) ? config.output[output] : view.plan.output[output];
  let value = getField(config, field);
  if (value === undefined && !field.startsWith("passthrough.")) value = absentDefault(field) ?? schemaAt(field.split("."))?.default;
  return isEmpty(value) ? undefined : value;
}

/** A value as compared: paths of the repository by where they lead, passthrough text by its meaning for the key. */
export function comparable(view: SideView, field: string, value: unknown): unknown {
  if (typeof value !== "string" || view.literal.has(field)) return value;
  const kind = schemaAt(field.split("."))?.["x-path"];
  if (!kind || kind === "output" || pathFlavor(value) !== "relative") return value;
  return path.resolve(view.plan.baseDir, value);
}

/** Whether a field has the same meaning on both sides (passthrough text as its key reads it). */
export function sameMeaning(base: SideView, head: SideView, field: string, before: unknown, after: unknown): boolean {
  const def = field.startsWith("passthrough.") ? keyDef(field.slice("passthrough.".length)) : undefined;
  if (def && typeof before === "string" && typeof after === "string" && !base.literal.has(field) && !head.literal.has(field)) return sameValue(def, before, after);
  return JSON.stringify(comparable(base, field, before)) === JSON.stringify(comparable(head, field, after));
}
