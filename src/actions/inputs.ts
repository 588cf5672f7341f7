import * as core from "@actions/core";
import { UsageError } from "../messages/errors.js";

export const COMMANDS = ["validate", "plan", "build", "diff", "matrix", "merge", "verify"] as const;
export type ActionCommand = (typeof COMMANDS)[number];

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
  upload: boolean;
  artifactName?: string;
  /** Absent: the repository's default. */
  retentionDays?: number;
  comment: boolean;
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
  token?: string;
}

const list = (name: string) => core.getInput(name).split(/[\s,]+/).filter(Boolean);
const text = (name: string) => core.getInput(name) || undefined;
/** A boolean input; a missing one (the runner always gives action.yml's defaults, tests may not) is `fallback`. */
const flag = (name: string, fallback: boolean) => (core.getInput(name) === "" ? fallback : core.getBooleanInput(name));

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
    upload: flag("upload", true),
    artifactName: text("artifact-name"),
    retentionDays: retentionDays > 0 ? retentionDays : undefined,
    comment: flag("comment", false),
    base: text("base"),
    strict: flag("strict", false),
    directories: list("directories"),
    certificate: text("certificate"),
    secretFiles: text("secret-files"),
    installLicenses: flag("install-licenses", false),
    token: text("token"),
  };
}
