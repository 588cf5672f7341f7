import { structuredPatch } from "diff";
import { planBuild, type PlannedUnit } from "../builder/plan-print.js";
import { getField } from "../generator/bindings.js";
import { generateSettings } from "../generator/generate.js";
import { serializeSettings } from "../generator/settings-xml.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import { PLATFORMS, type Platform } from "../manifest/targets.js";
import { isAppUnit } from "../builder/units.js";
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

/** A field's resolved value; a mapping (a target declared with {}) counts as present, whatever it holds. */
function valueAt(plan: ReadonlyBuildPlan, field: string): unknown {
  const value = getField(plan.config, field);
  return value !== null && typeof value === "object" && !Array.isArray(value) ? {} : value;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields either side writes, compared by their resolved values: a field left out equals its default. */
export function compareSettings(base: ReadonlyBuildPlan, head: ReadonlyBuildPlan): SettingChange[] {
  const fields = [...new Set([...base.written, ...head.written])].filter((f) => f !== "$schema");
  const changes: SettingChange[] = [];
  for (const field of fields) {
    const [b, a] = [valueAt(base, field), valueAt(head, field)];
    if (same(b, a)) continue;
    const kind = b === undefined ? "added" : a === undefined ? "removed" : "changed";
    const note = noteFor({ field, before: b, after: a });
    changes.push({ field, kind, ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}), ...(note ? { note } : {}) });
  }
  return changes.sort((x, y) => x.field.localeCompare(y.field));
}

function xmlFor(plan: ReadonlyBuildPlan, host: Platform): string {
  const { settings } = generateSettings(plan, { host });
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

const unitKey = (u: PlannedUnit) => `${u.target}/${isAppUnit(u) ? u.platform : ""}`;

function compareArtifacts(base: ReadonlyBuildPlan, head: ReadonlyBuildPlan): ArtifactChange[] {
  const before = new Map(planBuild(base).units.map((u) => [unitKey(u), u]));
  const after = new Map(planBuild(head).units.map((u) => [unitKey(u), u]));
  const changes: ArtifactChange[] = [];
  const describe = (u: PlannedUnit) => ({ target: u.target, ...(isAppUnit(u) ? { platform: u.platform } : {}), artifact: u.artifact });
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
