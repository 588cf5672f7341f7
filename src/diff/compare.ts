import { structuredPatch } from "diff";
import { planBuild, type PlannedUnit } from "../builder/plan-print.js";
import { generateSettings } from "../generator/generate.js";
import { serializeSettings } from "../generator/settings-xml.js";
import type { Platform, ReadonlyBuildPlan } from "../manifest/plan.js";
import { PLATFORMS } from "../manifest/rules/context.js";
import { schemaAt } from "../manifest/schema-walk.js";
import { noteFor } from "./notes.js";

export interface SettingChange {
  field: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
  /** What it does to the people who run the built applications. */
  note?: string;
}

export interface ArtifactChange {
  kind: "added" | "removed" | "changed";
  target: string;
  platform?: Platform;
  artifact: string;
  detail?: string;
}

export interface ManifestDiff {
  base: string;
  head: string;
  settings: SettingChange[];
  /** Unified diff of the generated buildApp.4DSettings, per build host where it changes (once when the same). */
  xml: { hosts: Platform[]; patch: string }[];
  artifacts: ArtifactChange[];
}

/** Every leaf value of a manifest by dotted field path; lists of scalars are one value. */
function leaves(value: unknown, prefix = "", out = new Map<string, unknown>()): Map<string, unknown> {
  const isLeafList = Array.isArray(value) && value.every((v) => v === null || typeof v !== "object");
  if (value !== null && typeof value === "object" && !isLeafList && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, out);
    // An empty mapping (e.g. "component: {}") is itself a setting: the target is declared.
    if (Object.keys(value).length === 0 && prefix) out.set(prefix, {});
  } else if (prefix) out.set(prefix, value);
  return out;
}

const fieldPath = (field: string) => field.split(".");
/** A value as the build sees it: a missing field takes its schema default. */
const effective = (field: string, value: unknown) => (value === undefined ? schemaAt(fieldPath(field))?.default : value);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function compareSettings(base: ReadonlyBuildPlan, head: ReadonlyBuildPlan): SettingChange[] {
  const before = leaves(base.manifest);
  const after = leaves(head.manifest);
  const fields = [...new Set([...before.keys(), ...after.keys()])].filter((f) => f !== "$schema");
  const changes: SettingChange[] = [];
  for (const field of fields) {
    const [b, a] = [effective(field, before.get(field)), effective(field, after.get(field))];
    if (same(b, a)) continue;
    const kind = b === undefined ? "added" : a === undefined ? "removed" : "changed";
    const note = noteFor({ field, before: b, after: a });
    changes.push({ field, kind, ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}), ...(note ? { note } : {}) });
  }
  return changes.sort((x, y) => x.field.localeCompare(y.field));
}

function xmlFor(plan: ReadonlyBuildPlan, host: Platform): string {
  const { settings } = generateSettings({ manifest: plan.manifest, manifestDir: plan.baseDir, packageDir: plan.packageDir }, { host });
  return serializeSettings(settings);
}

function compareXml(base: ReadonlyBuildPlan, head: ReadonlyBuildPlan): ManifestDiff["xml"] {
  const out: ManifestDiff["xml"] = [];
  for (const host of PLATFORMS) {
    const patch = structuredPatch("buildApp.4DSettings", "buildApp.4DSettings", xmlFor(base, host), xmlFor(head, host), "", "", { context: 2 });
    if (patch.hunks.length === 0) continue;
    const text = patch.hunks.map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join("\n")).join("\n");
    const same = out.find((x) => x.patch === text);
    if (same) same.hosts.push(host);
    else out.push({ hosts: [host], patch: text });
  }
  return out;
}

const unitKey = (u: PlannedUnit) => `${u.target}/${u.platform ?? ""}`;

function compareArtifacts(base: ReadonlyBuildPlan, head: ReadonlyBuildPlan): ArtifactChange[] {
  const before = new Map(planBuild(base).units.map((u) => [unitKey(u), u]));
  const after = new Map(planBuild(head).units.map((u) => [unitKey(u), u]));
  const changes: ArtifactChange[] = [];
  const describe = (u: PlannedUnit) => ({ target: u.target, ...(u.platform ? { platform: u.platform } : {}), artifact: u.artifact });
  for (const [key, u] of before) if (!after.has(key)) changes.push({ kind: "removed", ...describe(u), detail: "no longer built" });
  for (const [key, u] of after) {
    const old = before.get(key);
    if (!old) changes.push({ kind: "added", ...describe(u), detail: "newly built" });
    else if (old.artifact !== u.artifact) changes.push({ kind: "changed", ...describe(u), detail: `was ${old.artifact}` });
    else if (old.runtime !== u.runtime) changes.push({ kind: "changed", ...describe(u), detail: `runtime ${old.runtime ?? "none"} → ${u.runtime ?? "none"}` });
    else {
      const steps = u.steps.filter((s, i) => Boolean(s.skipped) !== Boolean(old.steps[i]?.skipped) || s.name !== old.steps[i]?.name);
      if (steps.length > 0) changes.push({ kind: "changed", ...describe(u), detail: steps.map((s) => `${s.name} ${s.skipped ? "now skipped" : "now runs"}`).join(", ") });
    }
  }
  return changes;
}

export function diffPlans(base: ReadonlyBuildPlan, head: ReadonlyBuildPlan, labels: { base: string; head: string }): ManifestDiff {
  return { ...labels, settings: compareSettings(base, head), xml: compareXml(base, head), artifacts: compareArtifacts(base, head) };
}
