import type { Diagnostic, Severity } from "../../messages/diagnostics.js";
import type { FourDVersion } from "../../four-d/version.js";
import type { Manifest } from "../manifest.generated.js";
import type { DeepReadonly } from "../plan.js";
import type { Origin } from "../resolve.js";
import { diagnosticAt, toPointer, type ManifestSource, type Path } from "../source.js";

/** What every semantic rule gets: the resolved manifest, where its values came from, and a reporter. */
export interface RuleContext {
  source: ManifestSource;
  manifest: Manifest;
  origins: ReadonlyMap<string, Origin>;
  /** Folder of the manifest: relative paths start there. */
  baseDir: string;
  /** Repository root: paths must stay inside unless they are machine paths. */
  repoRoot: string;
  /** Undefined when 4dVersion is invalid (already reported by the schema). */
  fourD: FourDVersion | undefined;
  /** Whether referenced files must exist (off when only the configuration is read). */
  checkFiles: boolean;
  report(severity: Severity, code: string, path: Path, message: string, hint?: string, target?: "key" | "value"): void;
}

export type Rule = (context: RuleContext) => void;

/** A reporter that stays silent about values already reported as invalid: one message per problem. */
export function createReporter(source: ManifestSource, into: Diagnostic[], reported: ReadonlySet<string>): RuleContext["report"] {
  return (severity, code, path, message, hint, target = "value") => {
    if (reported.has(toPointer(path))) return;
    into.push(diagnosticAt(source, path, { severity, code, message, ...(hint ? { hint } : {}) }, target));
  };
}

export const originOf = (context: RuleContext, path: Path): Origin | undefined => context.origins.get(toPointer(path));

export type AppTarget = "standalone" | "server" | "client";
export const APP_TARGETS: readonly AppTarget[] = ["standalone", "server", "client"];
export type Platform = "mac" | "win";
export const PLATFORMS: readonly Platform[] = ["mac", "win"];

/** An application target that is declared and not switched off. */
export function enabledTarget(manifest: DeepReadonly<Manifest>, name: AppTarget | "compiled" | "component"): boolean {
  const target = manifest.targets?.[name];
  return target !== undefined && target !== null && target.enabled !== false;
}

/** Platforms an application target builds for: as declared, else those with a runtime. */
export function targetPlatforms(manifest: DeepReadonly<Manifest>, name: AppTarget): Platform[] {
  const target = manifest.targets?.[name];
  if (!target) return [];
  if (target.platforms) return [...target.platforms];
  return PLATFORMS.filter((p) => target.runtime?.[p] !== undefined);
}
