import type { Diagnostic, Severity } from "../../messages/diagnostics.js";
import type { FourDVersion } from "../../four-d/version.js";
import type { Manifest } from "../manifest.generated.js";
import type { Origin } from "../resolve.js";
import type { Scope } from "../scope.js";
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
  /**
   * The units the command is about (--target, --platform): files and per-platform requirements are checked for
   * these only (inScope); what the configuration says is checked everywhere.
   */
  scope: Scope;
  /**
   * Whether the project on disk and this machine are checked too (compiled code, components, what the host can
   * compile): on for validate, plan and build; off for commands about another machine or revision (diff, matrix, generate).
   */
  checkProject: boolean;
  /** The build host (process.platform unless a caller says otherwise). */
  host: NodeJS.Platform;
  /** The option or input that replaced versioning.common.version (`--app-version`), named in its messages. */
  versionInput?: string;
  /** Where ${env.…} values and TOOL4D are read. */
  env: NodeJS.ProcessEnv;
  /** Whether a value at or below `path` was already reported as invalid. */
  invalid(path: Path): boolean;
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
