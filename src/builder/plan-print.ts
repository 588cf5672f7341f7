import path from "node:path";
import { projectComponents, type ProjectComponent } from "../four-d/components.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import { EVERY_UNIT, type Scope } from "../manifest/scope.js";
import type { RuntimeSource } from "../manifest/runtime-source.js";
import { cacheRoot } from "../toolchain/cache.js";
import { describeRuntimeArchive } from "../toolchain/runtime-archives.js";
import { describeTool4d } from "../toolchain/tool4d-install.js";
import { redactUrl } from "../messages/urls.js";
import { artifactPath, buildDestination } from "./destinations.js";
import { leadingSteps, trailingSteps, unitSteps } from "./pipeline.js";
import { tool4dAuto } from "./provision.js";
import { describeEmbedded, planEmbeddedComponents, type EmbeddedComponent } from "./embedded-components.js";
import type { BoundStep } from "./step.js";
import { isAppUnit, planUnits, type BuildUnit } from "./units.js";

export interface PlannedStepState {
  name: string;
  title: string;
  /** Why the step does nothing for this build or unit; absent when it runs. */
  skipped?: string;
}

export type PlannedUnit = BuildUnit & {
  /** The 4D runtime merged into the application: its folder, its archive, or its address (query masked). */
  runtime?: string;
  destination: string;
  /** Relative to destination. */
  artifact: string;
  steps: PlannedStepState[];
};

/** What a build would do: versioned data, printable and diffable (4dbuild plan --format json). */
export interface PlannedBuild {
  planVersion: 1;
  name: string;
  fourDVersion: string;
  steps: PlannedStepState[];
  units: PlannedUnit[];
  finally: PlannedStepState[];
  /** What compilation uses: the code targets, and each component found or missing with where it came from. */
  compile: { enabled: boolean; targets: string[]; components: ProjectComponent[] };
  /** What the stand-alone and server applications embed in Components besides the project's own: each with its source and version. */
  embedded: EmbeddedComponent[];
  /** What the provision step downloads or unpacks, or finds in the cache (tool4d: auto, runtime archives and downloads). */
  provisioning: PlannedProvision[];
  /** 4dbuild's cache folder, when something is provisioned. */
  cache?: string;
}

/** One thing the provision step puts in place, and where it comes from now. */
export interface PlannedProvision {
  /** What it is for: "tool4d 21.0 (build latest, linux)", or the runtime fields sharing it. */
  for: string[];
  /** The archive or the address it comes from (query masked). */
  source: string;
  /** cache: already in the cache, nothing to do; download: fetched by the build; unpack: a local archive unpacked by the build. */
  from: "cache" | "download" | "unpack";
  /** Where it is in the cache (the tool4d executable, or the unpacked archive). */
  cached?: string;
}

const runtimeLocation = (source: RuntimeSource) => (source.kind === "url" ? redactUrl(source.url) : source.path);

/** Where tool4d and the runtime archives of a build come from: the cache, or a download or unpacking at build time. */
function planProvisioning(plan: ReadonlyBuildPlan, scope: Scope, env: NodeJS.ProcessEnv): PlannedProvision[] {
  const out: PlannedProvision[] = [];
  if (tool4dAuto(plan)) {
    const tool4d = describeTool4d(plan.fourD, env.FOURDBUILD_TOOL4D_BUILD || "latest", env);
    out.push({ for: [tool4d.name], source: redactUrl(tool4d.url), from: tool4d.from, ...(tool4d.executable ? { cached: tool4d.executable } : {}) });
  }
  const bySource = new Map<string, PlannedProvision>();
  for (const unit of planUnits(plan, scope)) {
    if (!isAppUnit(unit)) continue;
    const source = plan.targets[unit.target]!.runtime[unit.platform];
    if (!source || source.kind === "folder") continue;
    const field = `targets.${unit.target}.runtime.${unit.platform}`;
    const key = source.kind === "url" ? `${source.url}#${source.sha256}` : source.path;
    const known = bySource.get(key);
    if (known) known.for.push(field);
    else {
      const found = describeRuntimeArchive(source, env);
      bySource.set(key, { for: [field], source: runtimeLocation(source), from: found.from, ...(found.from === "cache" ? { cached: found.folder } : {}) });
    }
  }
  return [...out, ...bySource.values()];
}

/** What a build of the units of `scope` (default every unit) would do; `env` says where the cache is (what is already there is shown). */
export function planBuild(plan: ReadonlyBuildPlan, scope: Scope = EVERY_UNIT, env: NodeJS.ProcessEnv = process.env): PlannedBuild {
  const state = ({ step, skip }: BoundStep): PlannedStepState => {
    const skipped = skip(plan);
    return { name: step.name, title: step.title, ...(skipped ? { skipped } : {}) };
  };
  const units: PlannedUnit[] = planUnits(plan, scope).map((unit) => {
    const source = isAppUnit(unit) ? plan.targets[unit.target]!.runtime[unit.platform] : undefined;
    const runtime = source ? runtimeLocation(source) : undefined;
    return {
      ...unit,
      ...(runtime ? { runtime } : {}),
      destination: buildDestination(plan),
      artifact: artifactPath(plan, unit),
      steps: unitSteps(unit).map(state),
    };
  });
  const provisioning = planProvisioning(plan, scope, env);
  return {
    planVersion: 1,
    name: plan.config.name,
    fourDVersion: plan.fourD.text,
    steps: leadingSteps().map(state),
    units,
    finally: trailingSteps().map(state),
    compile: { enabled: plan.config.compile.enabled, targets: [...plan.config.compile.targets], components: projectComponents(plan.packageDir, plan.baseDir, plan.config.compile) },
    embedded: plan.targets.standalone || plan.targets.server ? planEmbeddedComponents(plan, env) : [],
    provisioning,
    ...(provisioning.length ? { cache: cacheRoot(env) } : {}),
  };
}

const target = (u: PlannedUnit) => (isAppUnit(u) ? `${u.target} (${u.platform})` : u.target);

/** The plan as a terminal table; paths are shown relative to `cwd`. */
export function renderPlanText(planned: PlannedBuild, cwd: string): string {
  const shown = (p: string) => (/^[a-z]+:\/\//i.test(p) ? p : path.relative(cwd, p) || ".");
  const lines = [`${planned.name}, built with 4D ${planned.fourDVersion}`, ""];
  const rows = planned.units.map((u) => [target(u), u.runtime ? shown(u.runtime) : "—", path.join(shown(u.destination), u.artifact)]);
  const widths = [0, 1].map((i) => Math.max(i === 0 ? 6 : 7, ...rows.map((r) => r[i]!.length)));
  lines.push(`${"TARGET".padEnd(widths[0]!)}  ${"RUNTIME".padEnd(widths[1]!)}  ARTIFACT`);
  for (const r of rows) lines.push(`${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`);
  if (planned.provisioning.length) {
    const from = (p: PlannedProvision) => (p.from === "cache" ? `in the cache: ${shown(p.cached ?? "")}` : `${p.from === "download" ? "download" : "unpack"} ${shown(p.source)}`);
    lines.push("", `Provisioning (cache: ${planned.cache}):`, ...planned.provisioning.map((p) => `  ${p.for.join(", ")}: ${from(p)}`));
  }
  const step = (s: PlannedStepState, n: number) => `  ${String(n).padStart(2)}. ${s.name.padEnd(14)} ${s.skipped ? `skipped: ${s.skipped}` : s.title}`;
  lines.push("", "Steps:");
  planned.steps.forEach((s, i) => lines.push(step(s, i + 1)));
  for (const u of planned.units) {
    lines.push(`  ${target(u)}:`);
    u.steps.forEach((s, i) => lines.push(`  ${step(s, i + 1)}`));
  }
  planned.finally.forEach((s, i) => lines.push(step(s, planned.steps.length + i + 1)));
  lines.push(...componentLines(planned.compile, shown));
  lines.push(...embeddedLines(planned.embedded, shown));
  return `${lines.join("\n")}\n`;
}

const STATUS = { found: "found", missing: "MISSING", interpreted: "interpreted: not used", overloaded: "overloaded: not used" } as const;

/** The components section: each one with its origin, whether it was found, and where. */
function componentLines(compile: PlannedBuild["compile"], shown: (p: string) => string): string[] {
  if (compile.components.length === 0) return compile.enabled ? ["", `Compile: ${compile.targets.join(", ") || "syntax check only"}; no component`] : [];
  const head = compile.enabled ? `Compile: ${compile.targets.join(", ") || "syntax check only"}; components passed to the compiler:` : "Components (compile.enabled is false: listed, not compiled with):";
  const rows = compile.components.map((c) => [c.name, c.github ? `${c.origin} (${c.github})` : c.origin, STATUS[c.status], shown(c.file ?? c.where)]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return ["", head, ...rows.map((r) => `  ${r.slice(0, 3).map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}  ${r[3]}`)];
}

const EMBEDDED = { found: "embedded", download: "downloaded by the build", missing: "MISSING: the build fails", interpreted: "INTERPRETED: the build fails", excluded: "excluded", overloaded: "the project's own Components folder has it" } as const;

/** The embedded components section: each one with where it comes from, its version, and where it is. */
function embeddedLines(embedded: readonly EmbeddedComponent[], shown: (p: string) => string): string[] {
  if (embedded.length === 0) return [];
  const rows = embedded.map((c) => [describeEmbedded(c), EMBEDDED[c.status], shown(c.where)]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return ["", "Components embedded in the stand-alone and server applications:", ...rows.map((r) => `  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`)];
}
