import path from "node:path";
import { hasErrors, type Diagnostic } from "../messages/diagnostics.js";
import { InvalidInputError } from "../messages/errors.js";
import type { Redactor } from "../messages/redactor.js";
import { loadManifest, type LoadResult } from "./load.js";
import type { ReadonlyBuildPlan } from "./plan.js";
import { requireUnits, scopeOf, type Scope } from "./scope.js";
import type { Platform, TargetName } from "./targets.js";

/** How the library's functions read a manifest. */
export interface ManifestOptions {
  /** Where `${env.…}` and `${secret.…}` are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The folder a relative manifest path (and `out`, `cert`…) resolves from; default the process's. */
  cwd?: string;
  /** Replaces versioning.common.version (a release tag: a leading "v" is removed), before validation. */
  version?: string;
  /** What gave `version` ("--app-version", "the version input"), named when it is not a version (a UsageError). */
  versionInput?: string;
  /**
   * Check that the files the manifest names exist. Default: on, except for plan and matrix, which may describe
   * another machine.
   */
  checkFiles?: boolean;
  /**
   * Only these targets / platforms (--target, --platform); default every one the manifest declares. The inputs
   * of other units (runtimes, icons, licence files…) are not required; mistakes in the configuration are still
   * reported everywhere. An unknown or undeclared name, or a selection of no unit, is a UsageError.
   */
  targets?: readonly TargetName[];
  platforms?: readonly Platform[];
  /**
   * Check the project on disk and this machine (compiled code, components, what this host compiles). Default: on,
   * except for matrix, which plans for other machines.
   */
  checkProject?: boolean;
  /** Whether the command reads the units' inputs (default on; off for matrix): see LoadOptions.inputsNeeded. */
  inputsNeeded?: boolean;
  /** Collects the secrets the manifest reads; give one to mask them in what you write too (the CLI's writers). */
  redactor?: Redactor;
}

/** What `validateManifest` found. */
export interface Validation {
  /** The manifest, absolute. */
  file: string;
  /** No error (warnings allowed). */
  valid: boolean;
  /** Every problem, each at file:line:column when it has a place. Format with the redactor. */
  diagnostics: Diagnostic[];
  /** Texts of the files the diagnostics point into, for code frames. */
  sources: Map<string, string>;
  /** Masks the secrets the manifest read: pass every text shown or written through it. */
  redactor: Redactor;
  /** Present when valid. */
  plan?: ReadonlyBuildPlan;
  /** The units it was validated for. */
  scope: Scope;
}

/** A manifest that passed validation: its plan, its warnings, and the redactor masking its secrets. */
export interface OpenedManifest extends Omit<LoadResult, "plan"> {
  file: string;
  plan: ReadonlyBuildPlan;
  /** The units it was validated for: a build of other units needs it opened again. */
  scope: Scope;
}

function load(manifest: string, options: ManifestOptions): LoadResult & { file: string; scope: Scope } {
  const scope = scopeOf(options);
  const file = path.resolve(options.cwd ?? process.cwd(), manifest);
  const loaded = loadManifest(file, { env: options.env ?? process.env, displayName: manifest, checkFiles: options.checkFiles ?? true, scope, ...(options.checkProject !== undefined ? { checkProject: options.checkProject } : {}), ...(options.inputsNeeded !== undefined ? { inputsNeeded: options.inputsNeeded } : {}), ...(options.version !== undefined ? { version: options.version, ...(options.versionInput ? { versionInput: options.versionInput } : {}) } : {}), ...(options.redactor ? { redactor: options.redactor } : {}) });
  if (loaded.plan) requireUnits(loaded.plan, scope);
  return { ...loaded, file, scope };
}

/**
 * Checks a manifest (YAML, schema, references, files, 4D's rules) and returns every problem; never throws for an
 * invalid manifest (a UsageError for a file that cannot be read, or targets / platforms that select nothing).
 */
export function validateManifest(manifest: string, options: ManifestOptions = {}): Validation {
  const { file, diagnostics, sources, redactor, plan, scope } = load(manifest, options);
  const valid = !hasErrors(diagnostics) && plan !== undefined;
  return { file, valid, diagnostics, sources, redactor, scope, ...(valid ? { plan } : {}) };
}

/**
 * Loads a manifest a command needs valid: throws InvalidInputError (messages and hints redacted) when it is not; its
 * warnings are in `diagnostics`.
 */
export function openManifest(manifest: string, options: ManifestOptions = {}): OpenedManifest {
  const loaded = load(manifest, options);
  if (hasErrors(loaded.diagnostics) || !loaded.plan) throw new InvalidInputError(loaded.diagnostics, loaded.sources);
  return loaded as OpenedManifest;
}
