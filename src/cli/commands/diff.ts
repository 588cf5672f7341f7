import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { hasErrors } from "../../messages/diagnostics.js";
import { diffPlans } from "../../diff/compare.js";
import { renderDiff, type DiffFormat } from "../../diff/render.js";
import { ExitCode, InvalidInputError, UsageError } from "../../messages/errors.js";
import { loadManifestText } from "../../manifest/load.js";
import type { ReadonlyBuildPlan } from "../../manifest/plan.js";
import { Redactor } from "../../messages/redactor.js";
import type { CliIO } from "../io.js";

export interface DiffCommandOptions {
  format: DiffFormat;
  /** Compare the manifest at this revision with the working tree. */
  git?: string;
  /** The manifest path used for a side given as a git revision. */
  manifest: string;
}

interface Side {
  label: string;
  /** Where the manifest is (or would be) in the working tree: relative paths resolve from there. */
  file: string;
  text: string;
}

function fromGit(io: CliIO, revision: string, manifest: string): Side {
  try {
    execFileSync("git", ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], { cwd: io.cwd, stdio: "pipe" });
  } catch {
    throw new UsageError(`"${revision}" is neither a manifest file nor a git revision`, "give a manifest path, or a revision such as origin/main or HEAD~1");
  }
  try {
    const text = execFileSync("git", ["show", `${revision}:./${manifest}`], { cwd: io.cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { label: `${revision}:${manifest}`, file: path.resolve(io.cwd, manifest), text };
  } catch {
    throw new UsageError(`${manifest} does not exist at ${revision}`, "pass --manifest with its path at that revision");
  }
}

function side(io: CliIO, spec: string, manifest: string): Side {
  const file = path.resolve(io.cwd, spec);
  if (existsSync(file)) return { label: spec, file, text: readFileSync(file, "utf8") };
  return fromGit(io, spec, manifest);
}

/** Compares two build configurations: settings with notes, the generated XML, and the artifact plan. */
export function diffCommand(io: CliIO, base: string | undefined, head: string | undefined, options: DiffCommandOptions): number {
  let sides: [Side, Side];
  if (options.git) {
    const manifest = base ?? options.manifest;
    sides = [fromGit(io, options.git, manifest), side(io, manifest, manifest)];
  } else {
    if (!base || !head) throw new UsageError("diff needs two sides: 4dbuild diff BASE HEAD, or 4dbuild diff --git REVISION [manifest]");
    sides = [side(io, base, options.manifest), side(io, head, options.manifest)];
  }
  const redactor = new Redactor();
  const [before, after] = sides.map((s): ReadonlyBuildPlan => {
    const loaded = loadManifestText(s.file, s.text, { env: io.env, displayName: s.label, redactor, checkFiles: false });
    if (hasErrors(loaded.diagnostics) || !loaded.plan) throw new InvalidInputError(loaded.diagnostics.map((d) => ({ ...d, message: redactor.redact(d.message) })), loaded.sources);
    return loaded.plan;
  }) as [ReadonlyBuildPlan, ReadonlyBuildPlan];
  const diff = diffPlans(before, after, { base: sides[0].label, head: sides[1].label });
  io.stdout.write(redactor.redact(renderDiff(diff, options.format)));
  return ExitCode.ok;
}
