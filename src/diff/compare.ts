import path from "node:path";
import { structuredPatch } from "diff";
import { planBuild, type PlannedUnit } from "../builder/plan-print.js";
import { isAppUnit } from "../builder/units.js";
import { getField } from "../generator/bindings.js";
import { generateSettings } from "../generator/generate.js";
import { serializeSettings } from "../generator/settings-xml.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import { PLATFORMS, type Platform } from "../manifest/targets.js";
import { comparedFields, effectiveValue, sameMeaning } from "./effective.js";
import { licenceChange } from "./licences.js";
import { noteFor } from "./notes.js";
import { meaningfulSettings } from "./settings-meaning.js";
import { asSide, viewsOf, type ComparedSide, type SideView } from "./view.js";

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

export interface CompareOptions {
  /** Destinations are shown relative to this folder; default the process's. */
  cwd?: string;
}

/** What a destination is shown as: relative to the folder the diff runs in. */
const shownPath = (value: unknown, cwd: string) => (typeof value === "string" && path.isAbsolute(value) ? path.relative(cwd, value) || "." : value);

/**
 * The settings of the two sides compared by meaning: a field left out equals its default (4D's when its key is
 * absent), empty equals absent, paths compare by where they lead, licence files by file (masked). Each change
 * carries a note computed from both whole configurations; a note two changes share is said once.
 */
export function compareSettings(base: SideView, head: SideView, options: CompareOptions = {}): SettingChange[] {
  const cwd = options.cwd ?? process.cwd();
  const changes: SettingChange[] = [];
  for (const field of comparedFields(base, head)) {
    const [b, a] = [effectiveValue(base, field), effectiveValue(head, field)];
    if (sameMeaning(base, head, field, b, a)) continue;
    const [before, after] = /^output\./.test(field) ? [shownPath(b, cwd), shownPath(a, cwd)] : [b, a];
    changes.push(change(field, before, after, noteFor({ field, before, after }, base, head)));
  }
  for (const platform of PLATFORMS) {
    const licences = licenceChange(base.licences[platform], head.licences[platform], platform);
    if (licences) changes.push(change(licences.field, licences.before, licences.after, licences.note));
  }
  changes.sort((x, y) => x.field.localeCompare(y.field));
  const said = new Set<string>();
  for (const c of changes) {
    if (c.note && said.has(c.note)) delete c.note;
    else if (c.note) said.add(c.note);
  }
  return changes;
}

function change(field: string, before: unknown, after: unknown, note: string | undefined): SettingChange {
  const kind = before === undefined ? "added" : after === undefined ? "removed" : "changed";
  return { field, kind, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}), ...(note ? { note } : {}) };
}

function xmlFor(view: SideView | undefined, host: Platform): string {
  if (!view) return "";
  const input = { config: view.config, written: view.plan.written, baseDir: view.plan.baseDir, packageDir: view.plan.packageDir };
  return serializeSettings(meaningfulSettings(generateSettings(input, { host, literal: view.literal }).settings));
}

/** The generated settings files per build host, compared by meaning (empty and default values left out). */
function compareXml(base: SideView | undefined, head: SideView | undefined): ManifestDiff["xml"] {
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

/** The runtime a unit is merged with, as the view shows it (a reference when one side does not know it). */
const runtimeOf = (view: SideView, u: PlannedUnit) => (isAppUnit(u) ? (getField(view.config, `targets.${u.target}.runtime.${u.platform}`) as string | undefined) : undefined);

function compareArtifacts(base: SideView | undefined, head: SideView | undefined): ArtifactChange[] {
  const units = (view: SideView | undefined) => new Map(view ? planBuild(view.plan).units.map((u) => [unitKey(u), u]) : []);
  const [before, after] = [units(base), units(head)];
  const changes: ArtifactChange[] = [];
  const describe = (u: PlannedUnit) => ({ target: u.target, ...(isAppUnit(u) ? { platform: u.platform } : {}), artifact: u.artifact });
  for (const [key, u] of before) if (!after.has(key)) changes.push({ kind: "removed", ...describe(u), detail: "no longer built" });
  for (const [key, u] of after) {
    const old = before.get(key);
    if (!old || !base || !head) {
      changes.push({ kind: "added", ...describe(u), detail: "newly built" });
      continue;
    }
    const [was, now] = [runtimeOf(base, old), runtimeOf(head, u)];
    if (old.artifact !== u.artifact) changes.push({ kind: "changed", ...describe(u), detail: `was ${old.artifact}` });
    else if (was !== now) changes.push({ kind: "changed", ...describe(u), detail: `runtime ${was ?? "none"} → ${now ?? "none"}` });
    else {
      const steps = u.steps.filter((s, i) => Boolean(s.skipped) !== Boolean(old.steps[i]?.skipped) || s.name !== old.steps[i]?.name);
      if (steps.length > 0) changes.push({ kind: "changed", ...describe(u), detail: steps.map((s) => `${s.name} ${s.skipped ? "now skipped" : "now runs"}`).join(", ") });
    }
  }
  return changes;
}

/**
 * Compares two configurations (resolved plans, or sides with what is known of their references): the settings
 * with what they mean for users, the generated settings file per build host, the artifacts. A side that is not
 * there (a file that does not exist at a revision) compares as no configuration.
 */
export function diffPlans(base: ReadonlyBuildPlan | ComparedSide | undefined, head: ReadonlyBuildPlan | ComparedSide | undefined, labels: { base: string; head: string }, options: CompareOptions = {}): ManifestDiff {
  if (base && head) {
    const [b, h] = viewsOf(asSide(base), asSide(head));
    return { ...labels, settings: compareSettings(b, h, options), xml: compareXml(b, h), artifacts: compareArtifacts(b, h) };
  }
  const [b, h] = [base && viewsOf(asSide(base), asSide(base))[0], head && viewsOf(asSide(head), asSide(head))[0]];
  const only = b ?? h;
  const settings = only ? wholeSide(only, b ? "removed" : "added", options) : [];
  return { ...labels, settings, xml: compareXml(b, h), artifacts: compareArtifacts(b, h) };
}

/** Against no configuration at all, every setting a side has is added (or removed), as it is. */
function wholeSide(view: SideView, kind: "added" | "removed", options: CompareOptions): SettingChange[] {
  const cwd = options.cwd ?? process.cwd();
  const changes: SettingChange[] = [];
  for (const field of comparedFields(view, view)) {
    const value = effectiveValue(view, field);
    const shown = /^output\./.test(field) ? shownPath(value, cwd) : value;
    if (shown !== undefined && shown !== false) changes.push(kind === "added" ? change(field, undefined, shown, undefined) : change(field, shown, undefined, undefined));
  }
  for (const platform of PLATFORMS) {
    const labels = view.licences[platform];
    if (labels.length > 0) changes.push(kind === "added" ? change(`licenses.files.${platform}`, undefined, labels, undefined) : change(`licenses.files.${platform}`, labels, undefined, undefined));
  }
  return changes.sort((x, y) => x.field.localeCompare(y.field));
}
