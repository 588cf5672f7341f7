import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { decodeBytes } from "../files/xml-text.js";
import { repositoryRoot } from "../files/work-tree.js";
import { UsageError } from "../messages/errors.js";

/**
 * One side of a diff. A string is a file of the working tree, `REVISION:path` (a file at a git revision), or a
 * revision (then the file `manifest` at it). `{ revision, path }` is always a file at a revision and
 * `{ path }` a file of the working tree; for both, `path` defaults to `manifest`, and when that file is not
 * there the project's Settings/buildApp.4DSettings is read instead (a repository that has not adopted 4dbuild
 * yet, or the revision before it did); so is it for a bare revision when no manifest path was given.
 */
export type DiffSide = string | { revision?: string; path?: string };

/** A side as read: a manifest or a buildApp.4DSettings (told by its content), or nothing at that revision. */
export interface SideText {
  /** Shown in the output: the path as given, or REVISION:path. */
  label: string;
  /** Where the file is (or would be) in the working tree: relative paths start there. */
  file: string;
  kind: "manifest" | "settings" | "none";
  text: string;
}

const git = (cwd: string, args: string[]): Buffer | undefined => {
  try {
    return execFileSync("git", args, { cwd, stdio: ["ignore", "pipe", "ignore"], maxBuffer: 16 * 1024 * 1024 });
  } catch {
    return undefined;
  }
};

const isRevision = (cwd: string, revision: string) => git(cwd, ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`]) !== undefined;

/** A settings file is XML (after any byte-order mark and blank space); anything else is read as a manifest. */
function kindOf(data: Buffer): { kind: "manifest" | "settings"; text: string } {
  const { text } = decodeBytes(data);
  return /^\s*</.test(text) ? { kind: "settings", text } : { kind: "manifest", text: text.replace(/^\uFEFF/, "") };
}

function fromWorkingTree(label: string, file: string): SideText {
  const { kind, text } = kindOf(readFileSync(file));
  return { label, file, kind, text };
}

/** The settings file of the project, by the usual layout, at a revision or in the working tree. */
function settingsPath(cwd: string, revision: string | undefined): string | undefined {
  const root = repositoryRoot(cwd);
  const listed = revision ? git(cwd, ["ls-tree", "-r", "--name-only", "--full-tree", revision])?.toString("utf8").split("\n") : undefined;
  const candidates = (listed ?? []).filter((f) => /(^|\/)Settings\/buildApp\.4DSettings$/i.test(f)).map((f) => path.join(root, f));
  if (!revision) {
    const here = path.join(cwd, "Settings", "buildApp.4DSettings");
    return existsSync(here) ? here : undefined;
  }
  const here = candidates.find((f) => path.dirname(path.dirname(f)) === cwd);
  return here ?? (candidates.length === 1 ? candidates[0] : undefined);
}

function atRevision(cwd: string, revision: string, file: string): SideText | undefined {
  const relative = path.relative(repositoryRoot(cwd), file).split(path.sep).join("/");
  const data = git(cwd, ["show", `${revision}:${relative}`]);
  if (!data) return undefined;
  return { label: `${revision}:${path.relative(cwd, file).split(path.sep).join("/")}`, file, ...kindOf(data) };
}

/**
 * Reads one side. A file that does not exist at a revision is no configuration (kind "none"), not an error: the
 * diff then shows everything the other side has. A string that is neither a file nor a revision is a UsageError.
 */
export function readSide(cwd: string, side: DiffSide, manifest: string, explicitManifest: boolean): SideText {
  if (typeof side === "string") {
    const file = path.resolve(cwd, side);
    if (existsSync(file) && statSync(file).isFile()) return fromWorkingTree(side, file);
    const split = /^([^:\\/][^:]*):(.+)$/.exec(side);
    if (split && isRevision(cwd, split[1]!)) return atRevisionOrNone(cwd, split[1]!, path.resolve(cwd, split[2]!), false);
    if (isRevision(cwd, side)) return atRevisionOrNone(cwd, side, path.resolve(cwd, manifest), !explicitManifest);
    throw new UsageError(`"${side}" is neither a file nor a git revision`, "give a manifest or buildApp.4DSettings path, a revision such as origin/main or HEAD~1, or REVISION:path");
  }
  const file = path.resolve(cwd, side.path ?? manifest);
  const fallback = side.path === undefined;
  if (side.revision !== undefined) {
    if (!isRevision(cwd, side.revision)) throw new UsageError(`"${side.revision}" is not a git revision`, "fetch it first (actions/checkout with fetch-depth: 0), or give a revision such as origin/main");
    return atRevisionOrNone(cwd, side.revision, file, fallback);
  }
  if (existsSync(file)) return fromWorkingTree(path.relative(cwd, file) || file, file);
  const settings = fallback ? settingsPath(cwd, undefined) : undefined;
  if (settings) return fromWorkingTree(path.relative(cwd, settings), settings);
  throw new UsageError(`${path.relative(cwd, file) || file} does not exist${fallback ? ", nor Settings/buildApp.4DSettings" : ""}`, "give the manifest or settings file to compare");
}

function atRevisionOrNone(cwd: string, revision: string, file: string, fallback: boolean): SideText {
  const found = atRevision(cwd, revision, file);
  if (found) return found;
  const settings = fallback ? settingsPath(cwd, revision) : undefined;
  const instead = settings ? atRevision(cwd, revision, settings) : undefined;
  return instead ?? { label: `${revision}:${path.relative(cwd, file).split(path.sep).join("/")}`, file, kind: "none", text: "" };
}
