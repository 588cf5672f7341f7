import * as core from "@actions/core";
import { UsageError } from "../messages/errors.js";

export const COMMANDS = ["validate", "plan", "build", "diff", "matrix", "merge", "verify"] as const;
export type ActionCommand = (typeof COMMANDS)[number];

/** upload: always, never, or where the runner has the artifact service (ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN). */
export type UploadChoice = boolean | "auto";
/** diff comment when nothing changed: leave the pull request alone, or update the comment an earlier push made. */
export type NoChangeComment = "silent" | "update";

/** The action's inputs (action.yml), read once: the rest of the action takes this object. */
export interface ActionInputs {
  command: ActionCommand;
  /** Relative to the workspace. */
  manifest: string;
  /** As given (space or comma separated); the build checks the names. */
  targets: string[];
  platforms: string[];
  /** Replaces versioning.common.version. */
  version?: string;
  /** build: also build natively and compare (build --compare-engines). */
  compareEngines: boolean;
  /** build: the destination; merge and verify: the release folder. */
  out?: string;
  upload: UploadChoice;
  artifactName?: string;
  /** Absent: the repository's default. */
  retentionDays?: number;
  comment: boolean;
  commentNoChange: NoChangeComment;
  /** diff: the git revision to compare with. */
  base?: string;
  /** diff: fail when a side is not valid. */
  strict: boolean;
  /** merge: the per-runner folders, `outputs/*` not yet expanded. */
  directories: string[];
  /** verify: the trusted certificate (PEM). */
  certificate?: string;
  secretFiles?: string;
  installLicenses: boolean;
  /** `auto` (download the manifest's tool4d) or a path, relative to the workspace. */
  tool4d?: string;
  /** Lines VARIABLE=path-or-url [sha256=…], parsed by provision.ts. */
  runtimes?: string;
  token?: string;
}

const list = (name: string) => core.getInput(name).split(/[\s,]+/).filter(Boolean);
const text = (name: string) => core.getInput(name) || undefined;
/**
 * A boolean input as the Actions toolkit reads one (core.getBooleanInput: true, True, TRUE, false, False, FALSE);
 * a missing one (the runner always gives action.yml's defaults, tests may not) is `fallback`. Anything else is a
 * UsageError naming the input.
 */
function flag(name: string, fallback: boolean): boolean {
  if (core.getInput(name) === "") return fallback;
  try {
    return core.getBooleanInput(name);
  } catch {
    throw new UsageError(`${name} must be true or false, not "${core.getInput(name)}"`, "the YAML 1.2 core schema booleans: true, True, TRUE, false, False, FALSE");
  }
}

/** One of a few words, case as given; `fallback` when empty. */
function choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = core.getInput(name) || fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${name} must be one of ${allowed.join(", ")}, not "${value}"`);
  return value as T;
}

/** Every core.getInput of the action. Throws UsageError for an unknown command or a bad number. */
export function getInputs(): ActionInputs {
  const command = core.getInput("command") || "build";
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`command must be one of ${COMMANDS.join(", ")}, not ${command}`);
  const retention = core.getInput("retention-days");
  const retentionDays = retention === "" ? 0 : Number(retention);
  if (!Number.isInteger(retentionDays) || retentionDays < 0) throw new UsageError(`retention-days must be a whole number of days, not ${retention}`);
  return {
    command: command as ActionCommand,
    manifest: core.getInput("manifest") || "4dbuild.yml",
    targets: list("targets"),
    platforms: list("platforms"),
    version: text("version"),
    out: text("out"),
    compareEngines: flag("compare-engines", false),
    upload: core.getInput("upload").toLowerCase() === "auto" || core.getInput("upload") === "" ? "auto" : flag("upload", false),
    artifactName: text("artifact-name"),
    retentionDays: retentionDays > 0 ? retentionDays : undefined,
    comment: flag("comment", false),
    commentNoChange: choice("comment-no-change", ["silent", "update"] as const, "silent"),
    base: text("base"),
    strict: flag("strict", false),
    directories: list("directories"),
    certificate: text("certificate"),
    secretFiles: text("secret-files"),
    installLicenses: flag("install-licenses", false),
    tool4d: text("tool4d"),
    runtimes: text("runtimes"),
    token: text("token"),
  };
}
