import { readFileSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../messages/diagnostics.js";
import { hasErrors } from "../messages/diagnostics.js";
import { UsageError } from "../messages/errors.js";
import { parseFourDVersion } from "../four-d/version.js";
import { Redactor } from "../messages/redactor.js";
import { fileName } from "../four-d/license-names.js";
import { repositoryRoot } from "../files/work-tree.js";
import { gitReader, type GitVariable } from "./git.js";
import type { Manifest } from "./manifest.generated.js";
import { normalize, type ReadonlyBuildPlan } from "./plan.js";
import { resolveManifest } from "./resolve.js";
import { createReporter, type Rule, type RuleContext } from "./rules/context.js";
import { checkDeclared, EVERY_UNIT, inScope, type Scope } from "./scope.js";
import { schemaAt, walkWithSchema } from "./schema-walk.js";
import { checkLicenses } from "./rules/licenses.js";
import { checkModules } from "./rules/modules.js";
import { checkNames } from "./rules/names.js";
import { checkPassthrough } from "./rules/passthrough.js";
import { checkPluginKeys } from "./rules/plugin-keys.js";
import { checkOutputPlaces } from "./rules/outputs.js";
import { checkPaths, checkProjectLayout } from "./rules/paths.js";
import { checkClientServer, checkRuntimes, checkSigning } from "./rules/targets.js";
import { checkSettingsOnly } from "./rules/settings-only.js";
import { checkSinceVersions } from "./rules/versions.js";
import { checkCompile, checkCompiledCode } from "./rules/compile.js";
import { checkRuntimeVersions } from "./rules/runtime-versions.js";
import { checkReleaseVersions } from "./rules/release-versions.js";
import { isVersionProblem, parseReleaseVersion } from "./versioning.js";
import { fromPointer, locate, parseSource, rangeOf, toPointer, tooDeep, type ManifestSource, type PathSegment } from "./source.js";
import { validateAgainstSchema } from "./validate-schema.js";

/** The semantic rules, in the order their messages read best. */
const RULES: readonly Rule[] = [checkProjectLayout, checkNames, checkPaths, checkOutputPlaces, checkRuntimes, checkClientServer, checkLicenses, checkModules, checkPluginKeys, checkSigning, checkCompile, checkCompiledCode, checkRuntimeVersions, checkReleaseVersions, checkSinceVersions, checkPassthrough, checkSettingsOnly];

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** Name shown in messages; default: the path as given. */
  displayName?: string;
  /** Collects secret values read from the environment; give one to share it with later output. */
  redactor?: Redactor;
  /** Override of git facts (tests). */
  git?: (name: GitVariable) => string | undefined;
  /**
   * Check that referenced files exist (default). Off for commands that only read the configuration
   * (generate, plan, diff), which may describe another machine or another revision.
   */
  checkFiles?: boolean;
  /** Replaces versioning.common.version (a release workflow's tag, "v" removed), before validation. */
  version?: string;
  /** What gave `version`, for its messages: "--app-version", "the version input"; default "the version option". */
  versionInput?: string;
  /**
   * The units the command is about (--target, --platform); default every one. Files, runtimes and per-platform
   * requirements of the others are not checked; the configuration itself is, everywhere.
   */
  scope?: Scope;
  /** Check the project on disk and this machine: compiled code, components, compile targets (default on). */
  checkProject?: boolean;
  /**
   * Whether the command reads the inputs (files, folders, runtimes, licence files) of the units in scope (default
   * on). Off for matrix, which plans runners from the configuration alone: an unset ${env.…}/${secret.…} naming
   * an input is then not an error, so the job computing the matrix needs none of the build's secrets.
   */
  inputsNeeded?: boolean;
  /** The build host; default process.platform (tests). */
  host?: NodeJS.Platform;
  /**
   * Review of a configuration away from its build machine (diff): unset ${env.…}/${secret.…} and every
   * ${git.…} stay as their reference text (listed in `kept`), and a plan is made even when the manifest has
   * errors (values of the wrong shape left out), for comparison only. Never for a build.
   */
  review?: boolean;
}

export interface LoadResult {
  /** Present when the manifest is valid (warnings allowed). */
  plan?: ReadonlyBuildPlan;
  diagnostics: Diagnostic[];
  /** Texts of the files the diagnostics point into, for code frames. */
  sources: Map<string, string>;
  redactor: Redactor;
  /** Locates a manifest field ("targets.server.port"), for problems found after loading. */
  locate: (field: string) => Pick<Diagnostic, "file" | "line" | "column" | "endLine" | "endColumn">;
  /** review: the fields (dotted, list items by index) whose value is a reference kept as text. */
  kept: string[];
}

function yamlDiagnostics(source: ManifestSource): { diagnostics: Diagnostic[]; fatal: boolean } {
  const diagnostics: Diagnostic[] = [...source.problems];
  let fatal = source.problems.some((d) => d.code !== "duplicate-key");
  for (const problem of [...source.doc.errors, ...source.doc.warnings]) {
    const at = locate(source, problem.pos);
    if (problem.message.includes("call stack")) {
      // The parser recursed deeper than the stack allows: nesting the depth estimate did not see.
      diagnostics.push({ ...tooDeep(), ...at });
      fatal = true;
    } else if (problem.code === "TAG_RESOLVE_FAILED") {
      diagnostics.push({ severity: "error", code: "unknown-tag", message: problem.message.replace(/^Unresolved tag/, "unknown tag"), hint: "the only tag 4dbuild knows is !external, for machine paths", ...at });
      fatal = true;
    } else if (problem.name === "YAMLWarning") {
      diagnostics.push({ severity: "warning", code: "yaml", message: problem.message, ...at });
    } else {
      fatal = true;
      const tab = problem.code === "TAB_AS_INDENT";
      diagnostics.push({
        severity: "error",
        code: "yaml-syntax",
        message: `YAML syntax: ${problem.message.replace(/\s+/g, " ")}`,
        hint: tab ? "YAML indents with spaces, not tabs" : "check the indentation, colons and quotes here and on the line before",
        ...at,
      });
    }
  }
  return { diagnostics, fatal };
}

/**
 * Values secret by kind (x-secret in the schema: licence files, plug-in keys, certificates, passwords) join the
 * secrets whatever their origin; of a licence file, its name and its name without extension too (they hold the
 * licence number, and messages or generated paths may show only that part).
 */
function maskSecretFields(value: unknown, redactor: Redactor): void {
  for (const { value: field, schema } of walkWithSchema(value)) {
    if (!schema["x-secret"] || typeof field !== "string") continue;
    redactor.add(field);
    if (schema["x-extension"] === ".license4D") for (const name of [fileName(field), fileName(field).replace(/\.license4D$/i, "")]) redactor.add(name);
  }
}

export function redactDiagnostic(d: Diagnostic, redactor: Redactor): Diagnostic {
  return { ...d, message: redactor.redact(d.message), ...(d.hint ? { hint: redactor.redact(d.hint) } : {}) };
}

export function loadManifestText(file: string, text: string, options: LoadOptions = {}): LoadResult {
  const env = options.env ?? process.env;
  const redactor = options.redactor ?? new Redactor();
  const displayName = options.displayName ?? file;
  const absoluteFile = path.resolve(file);
  const baseDir = path.dirname(absoluteFile);
  const source = parseSource(displayName, text);
  const sources = new Map([[displayName, text]]);
  const locateField = (field: string) => locate(source, rangeOf(source, field.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s))));
  let kept: string[] = [];
  // Every message leaves masked, before anything formats, escapes or cuts it.
  const done = (diagnostics: Diagnostic[], plan?: ReadonlyBuildPlan): LoadResult => ({ diagnostics: diagnostics.map((d) => redactDiagnostic(d, redactor)), sources, redactor, locate: locateField, kept, ...(plan ? { plan } : {}) });
  const yaml = yamlDiagnostics(source);
  if (yaml.fatal) return done(yaml.diagnostics);

  const scope = options.scope ?? EVERY_UNIT;
  const resolved = resolveManifest(source, { env, git: options.git ?? gitReader(baseDir, env), redactor, keepUnresolved: options.review === true });
  kept = [...resolved.kept].map((pointer) => fromPointer(pointer).join("."));
  if (resolved.limited) return done([...yaml.diagnostics, ...resolved.diagnostics]);
  maskSecretFields(resolved.value, redactor);
  if (options.version !== undefined) overrideVersion(resolved.value, versionOverride(options.version, options.versionInput));
  const schemaProblems = validateAgainstSchema(source, resolved.value, resolved.failed, redactor);
  const diagnostics = [...yaml.diagnostics, ...resolved.diagnostics.filter((d) => !unneededInput(d, scope, options.inputsNeeded ?? true)), ...schemaProblems];
  const manifest = resolved.value as Manifest;
  if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) return done(diagnostics);
  if (manifest.targets !== null && typeof manifest.targets === "object" && !Array.isArray(manifest.targets)) checkDeclared(scope, manifest);

  const fourD = typeof manifest["4dVersion"] === "string" ? parseFourDVersion(manifest["4dVersion"]) : undefined;
  const reported = new Set([...resolved.failed, ...schemaProblems.map((d) => d.pointer ?? "")]);
  const context: RuleContext = {
    source,
    manifest,
    origins: resolved.origins,
    baseDir,
    repoRoot: repositoryRoot(baseDir),
    fourD,
    checkFiles: options.checkFiles ?? true,
    scope,
    checkProject: options.checkProject ?? true,
    host: options.host ?? process.platform,
    ...(options.version !== undefined ? { versionInput: options.versionInput ?? VERSION_OPTION } : {}),
    env,
    report: createReporter(source, diagnostics, reported),
    invalid: (path) => [...reported].some((p) => p === toPointer(path) || p.startsWith(`${toPointer(path)}/`)),
  };
  const shapeIsValid = schemaProblems.length === 0;
  for (const rule of RULES) {
    try {
      rule(context);
    } catch (error) {
      // On a manifest the schema rejected, a rule may meet values of the wrong shape; those are reported already.
      if (shapeIsValid) throw error;
    }
  }
  if (options.review && (hasErrors(diagnostics) || !fourD)) return done(diagnostics, reviewPlan(manifest, absoluteFile, schemaProblems));
  if (hasErrors(diagnostics) || !fourD) return done(diagnostics);
  return done(diagnostics, normalize(manifest, absoluteFile, fourD, options.host));
}

/**
 * The plan of an invalid manifest, for review only: values the schema rejected are left out (their defaults
 * apply), a missing project or 4D version takes a stand-in. Undefined when even that cannot be resolved.
 */
function reviewPlan(manifest: Manifest, file: string, schemaProblems: readonly Diagnostic[]): ReadonlyBuildPlan | undefined {
  const copy = structuredClone(manifest) as unknown as Record<string, unknown>;
  // Later list items first, so that removing one does not move the others.
  const pointers = [...new Set(schemaProblems.map((d) => d.pointer ?? ""))].sort((a, b) => b.localeCompare(a, "en", { numeric: true }));
  for (const pointer of pointers) removeAt(copy, fromPointer(pointer));
  if (typeof copy.project !== "string") copy.project = "Project/Application.4DProject";
  const fourD = (typeof copy["4dVersion"] === "string" ? parseFourDVersion(copy["4dVersion"]) : undefined) ?? parseFourDVersion("21")!;
  try {
    return normalize(copy as unknown as Manifest, file, fourD);
  } catch {
    return undefined;
  }
}

function removeAt(root: Record<string, unknown>, at: readonly (string | number)[]): void {
  if (at.length === 0) return;
  let node: unknown = root;
  for (const segment of at.slice(0, -1)) node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[segment] : undefined;
  if (node === null || typeof node !== "object") return;
  const last = at.at(-1)!;
  if (Array.isArray(node) && typeof last === "number") node.splice(last, 1);
  else delete (node as Record<string, unknown>)[last];
}

/**
 * An unset variable naming an input of units outside the scope (the macOS runtime on a Windows runner): not
 * needed by this command. The value stays unresolved (not checked further); it is not an error.
 */
function unneededInput(diagnostic: Diagnostic, scope: Scope, inputsNeeded: boolean): boolean {
  if (diagnostic.code !== "unresolved-variable" || diagnostic.pointer === undefined) return false;
  const at = fromPointer(diagnostic.pointer);
  const kind = inputKind(at);
  return kind !== undefined && kind !== "output" && (!inputsNeeded || !inScope(scope, at));
}

/** The x-path of a value or of the input holding it (a runtime's `url` is part of the runtime). */
function inputKind(at: readonly PathSegment[]): unknown {
  for (let length = at.length; length > 0; length--) {
    const kind = schemaAt(at.slice(0, length))?.["x-path"];
    if (kind !== undefined) return kind;
  }
  return undefined;
}

const VERSION_OPTION = "the version option";

/** A version given beside the manifest, without its "v"; one no platform can hold is a usage error naming where it came from. */
function versionOverride(given: string, input = VERSION_OPTION): string {
  const parsed = parseReleaseVersion(given);
  if (isVersionProblem(parsed)) throw new UsageError(`${input} "${given}" ${parsed.problem}`, parsed.hint);
  return parsed.text;
}

function overrideVersion(value: unknown, version: string): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  const manifest = value as { versioning?: { common?: Record<string, unknown> } };
  manifest.versioning = { ...manifest.versioning, common: { ...manifest.versioning?.common, version } };
}

/** Reads, validates and resolves a manifest. A missing file is a usage error; an invalid one gives diagnostics. */
export function loadManifest(file: string, options: LoadOptions = {}): LoadResult {
  const shown = options.displayName ?? file;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`manifest not found: ${shown}`, "create one with 4dbuild init, or give its path: 4dbuild validate path/to/4dbuild.yml");
    if (code === "EISDIR") throw new UsageError(`${shown} is a folder, not a manifest`, `did you mean ${path.join(shown, "4dbuild.yml")}?`);
    throw new UsageError(`cannot read ${shown}: ${(error as Error).message}`);
  }
  return loadManifestText(file, text.replace(/^\uFEFF/, ""), options);
}
