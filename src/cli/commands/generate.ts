import path from "node:path";
import { ExitCode, InvalidInputError } from "../../messages/errors.js";
import { writeFileAtomic } from "../../files/atomic.js";
import { generateSettings } from "../../generator/generate.js";
import { serializeSettings } from "../../generator/settings-xml.js";
import { displayPath } from "../../manifest/source.js";
import type { Platform } from "../../manifest/targets.js";
import type { CliIO } from "../io.js";
import { requirePlan } from "../manifest-input.js";

export interface GenerateCommandOptions {
  host: Platform;
  output?: string;
  macVolume?: string;
}

/** Writes the buildApp.4DSettings of a manifest for a build host. Secrets are masked: they never go into it. */
export function generateCommand(io: CliIO, manifestPath: string, options: GenerateCommandOptions): number {
  const { plan, locate, redactor, sources } = requirePlan(io, manifestPath, { checkFiles: false, checkProject: false });
  const { settings, problems } = generateSettings(plan, { host: options.host, ...(options.macVolume ? { macVolume: options.macVolume } : {}) });
  if (problems.length > 0) {
    const shown = (field: string) => displayPath(field.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
    throw new InvalidInputError(problems.map((p) => ({ severity: "error", code: "path-syntax", message: redactor.redact(`${shown(p.field)}: ${p.message}`), ...(p.hint ? { hint: redactor.redact(p.hint) } : {}), ...locate(p.field) })), sources);
  }
  const xml = redactor.redact(serializeSettings(settings));
  if (options.output) writeFileAtomic(path.resolve(io.cwd, options.output), xml);
  else io.stdout.write(xml);
  return ExitCode.ok;
}
