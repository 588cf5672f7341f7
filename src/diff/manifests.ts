import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { hasErrors } from "../messages/diagnostics.js";
import { InvalidInputError, UsageError } from "../messages/errors.js";
import { loadManifestText } from "../manifest/load.js";
import type { ReadonlyBuildPlan } from "../manifest/plan.js";
import { Redactor } from "../messages/redactor.js";
import { diffPlans, type ManifestDiff } from "./compare.js";

/**
 * One side of a diff: a manifest file, or (when no such file exists) a git revision holding the manifest at
 * `manifest`; `{ revision }` always means a git revision.
 */
export type DiffSide = string | { revision: string };

export interface DiffOptions {
  env?: NodeJS.ProcessEnv;
  /** Where files and git revisions are looked up; default the process's folder. */
  cwd?: string;
  /** The manifest's path inside a git revision; default 4dbuild.yml. */
  manifest?: string;
}

export interface DiffResult {
  diff: ManifestDiff;
  /** Masks the secrets both manifests read: pass the rendered diff through it. */
  redactor: Redactor;
}

interface Side {
  label: string;
  /** Where the manifest is (or would be) in the working tree: relative paths resolve from there. */
  file: string;
  text: string;
}

function fromGit(cwd: string, revision: string, manifest: string): Side {
  try {
    execFileSync("git", ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], { cwd, stdio: "pipe" });
  } catch {
    throw new UsageError(`"${revision}" is neither a manifest file nor a git revision`, "give a manifest path, or a revision such as origin/main or HEAD~1");
  }
  try {
    const text = execFileSync("git", ["show", `${revision}:./${manifest}`], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { label: `${revision}:${manifest}`, file: path.resolve(cwd, manifest), text };
  } catch {
    throw new UsageError(`${manifest} does not exist at ${revision}`, "pass --manifest with its path at that revision");
  }
}

function read(cwd: string, side: DiffSide, manifest: string): Side {
  if (typeof side !== "string") return fromGit(cwd, side.revision, manifest);
  const file = path.resolve(cwd, side);
  if (existsSync(file)) return { label: side, file, text: readFileSync(file, "utf8") };
  return fromGit(cwd, side, manifest);
}

/**
 * Compares two build configurations: settings with what they mean for users, the generated XML, the artifacts.
 * Throws UsageError for a side that is neither a file nor a revision, InvalidInputError for an invalid manifest.
 */
export function diffManifests(base: DiffSide, head: DiffSide, options: DiffOptions = {}): DiffResult {
  const cwd = options.cwd ?? process.cwd();
  const manifest = options.manifest ?? "4dbuild.yml";
  const sides = [read(cwd, base, manifest), read(cwd, head, manifest)] as const;
  const redactor = new Redactor();
  const [before, after] = sides.map((s): ReadonlyBuildPlan => {
    const loaded = loadManifestText(s.file, s.text, { env: options.env ?? process.env, displayName: s.label, redactor, checkFiles: false, checkProject: false });
    if (hasErrors(loaded.diagnostics) || !loaded.plan) throw new InvalidInputError(loaded.diagnostics.map((d) => ({ ...d, message: redactor.redact(d.message) })), loaded.sources);
    return loaded.plan;
  }) as [ReadonlyBuildPlan, ReadonlyBuildPlan];
  return { diff: diffPlans(before, after, { base: sides[0].label, head: sides[1].label }), redactor };
}
