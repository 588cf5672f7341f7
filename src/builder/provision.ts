import { readdirSync } from "node:fs";
import path from "node:path";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import type { Platform } from "../manifest/targets.js";
import { BuildError, UserError } from "../messages/errors.js";
import { detectRuntime, type RuntimeInfo, type RuntimeKind } from "./app/runtime.js";
import type { BuildContext } from "./context.js";
import { isAppUnit, planUnits, unitName, type AppUnit, type BuildUnit } from "./units.js";

/** The 4D runtime an application target is merged with. */
export const runtimeKind = (unit: AppUnit): RuntimeKind => (unit.target === "server" ? "Server" : "Volume Desktop");

/**
 * Whether this build downloads tool4d: compile.tool4d is auto and something runs it, the compiler, Build4D
 * (build.build4d.runner: tool4d), or 4D's licence commands without a licenses.runner of their own (their default
 * is compile.tool4d).
 */
export function tool4dAuto(plan: ReadonlyBuildPlan, units: readonly BuildUnit[] = planUnits(plan)): boolean {
  const { compile, licenses } = plan.config;
  if (compile.tool4d !== "auto") return false;
  const { engine, build4d } = plan.config.build;
  if (compile.enabled || (engine === "build4d" && build4d.runner === "tool4d")) return true;
  const licensing = licenses.mode === "evaluation" || licenses.mode === "automatic" || (licenses.mode === "files" && licenses.embed === "create");
  return licensing && licenses.runner === undefined && units.some(isAppUnit);
}

/** Whether the build has anything to download or unpack before it starts. */
export function provisioningNeeded(plan: ReadonlyBuildPlan): boolean {
  const runtimes = Object.values(plan.targets).flatMap((t) => ("runtime" in t ? Object.values(t.runtime) : []));
  return tool4dAuto(plan) || runtimes.some((r) => r.kind !== "folder");
}

/** The runtime folder of an application unit: the folder given, or the one the provision step unpacked. */
export function runtimeFolder(context: BuildContext, unit: AppUnit): string {
  const source = context.plan.targets[unit.target]!.runtime[unit.platform]!;
  if (source.kind === "folder") return source.path;
  const folder = context.provisioned.runtimes.get(unitName(unit));
  if (!folder) throw new Error(`the runtime of ${unitName(unit)} was not provisioned`);
  return folder;
}

const SKIPPED = new Set(["__MACOSX", ".DS_Store"]);

/**
 * The runtime inside an unpacked archive: the archive's root or a folder up to three levels down (an archive of
 * "4D v21/" may hold 4D Volume Desktop and 4D Server side by side). The one of the expected platform and kind;
 * else the only runtime found, which the runtime step then refuses with the reason.
 */
export function locateRuntime(root: string, expected: { platform: Platform; kind: RuntimeKind; field: string }): string {
  const found: { folder: string; info: RuntimeInfo }[] = [];
  const visit = (folder: string, depth: number) => {
    try {
      found.push({ folder, info: detectRuntime(folder) });
      return;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
    }
    if (depth === 3) return;
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)))
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) visit(path.join(folder, entry.name), depth + 1);
  };
  visit(root, 0);
  const matching = found.filter((f) => f.info.platform === expected.platform && f.info.kind === expected.kind);
  const what = `4D ${expected.kind} for ${expected.platform === "mac" ? "macOS" : "Windows"}`;
  if (matching.length === 1) return matching[0]!.folder;
  if (matching.length > 1) throw new BuildError(`${expected.field}: the archive holds several ${what}: ${matching.map((m) => path.relative(root, m.folder) || ".").join(", ")}`, "give an archive holding one");
  if (found.length === 1) return found[0]!.folder;
  const top = readdirSync(root).filter((n) => !SKIPPED.has(n)).slice(0, 8);
  throw new BuildError(`${expected.field}: the archive holds no ${what}${found.length ? ` (it holds ${found.map((f) => `4D ${f.info.kind} for ${f.info.platform}`).join(", ")})` : ""}`, `at its root: ${top.join(", ") || "nothing"}; expected a macOS .app package or a Windows folder holding ${expected.kind === "Server" ? "4D Server.exe" : "4D Volume Desktop.4DE"}`);
}
