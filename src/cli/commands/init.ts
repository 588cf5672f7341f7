import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { ExitCode, UsageError } from "../../messages/errors.js";
import { parseFourDVersion } from "../../four-d/version.js";
import { componentTraces } from "../../four-d/projects.js";
import { ignoresDerivedData } from "../../files/git-ignore.js";
import { packageRoot } from "../../files/package-root.js";
import type { Platform } from "../../manifest/targets.js";
import type { CliIO } from "../io.js";
import { chooseProject } from "../project-choice.js";
import { importCommand } from "./import.js";
import { validateCommand } from "./validate.js";

export interface InitOptions {
  force: boolean;
  fourDVersion?: string;
  output: string;
  /** Start from this buildApp.4DSettings instead of the starter template. */
  from?: string;
  /** The OS the --from settings were written on, when the file does not tell (see import). */
  host?: Platform;
  /** The project: its .4DProject file or package folder; default the one at or a few folders below the current folder. */
  project?: string;
}

/**
 * Writes a commented starter manifest for the 4D project of the current folder (or a few folders below), with
 * the component target when the project looks like a component; then validates it.
 */
export function initCommand(io: CliIO, options: InitOptions): number {
  const target = path.resolve(io.cwd, options.output);
  if (existsSync(target) && !options.force) throw new UsageError(`${options.output} already exists`, "use --force to overwrite it");
  if (options.fourDVersion && !parseFourDVersion(options.fourDVersion)) throw new UsageError(`"${options.fourDVersion}" is not a 4D version`, 'write it as 4D does: "20", "20 R8", "21"');
  if (options.from) {
    importCommand(io, options.from, { output: options.output, force: options.force, ...(options.fourDVersion ? { fourDVersion: options.fourDVersion } : {}), ...(options.host ? { host: options.host } : {}) });
    return validateCommand(io, options.output, { format: "text" });
  }
  const projectFile = chooseProject(io.cwd, options.project);
  const name = path.basename(projectFile).replace(/\.4DProject$/i, "");
  const traces = componentTraces(path.dirname(path.dirname(projectFile)));
  const template = Handlebars.compile(readFileSync(path.join(packageRoot(), "templates", "4dbuild.yml.hbs"), "utf8"), { noEscape: true, strict: true });
  const project = path.relative(path.dirname(target), projectFile).split(path.sep).join("/");
  const component = traces.length > 0 ? { because: traces.join("; ") } : false;
  const compile = ignoresDerivedData(path.dirname(path.dirname(projectFile)));
  writeFileSync(target, template({ name, project, fourDVersion: options.fourDVersion ?? "21", component, compile, schema: "https://raw.githubusercontent.com/4dbuild/4dbuild/main/schema/4dbuild.schema.json" }));
  if (compile) io.stderr.write("the repository ignores Project/DerivedData/ (no compiled code in a clone): compile.enabled is true\n");
  io.stderr.write(`wrote ${options.output} for ${name} (${project})${component ? `, a component: it has ${component.because}` : ""}\n`);
  return validateCommand(io, options.output, { format: "text" }) === ExitCode.ok ? ExitCode.ok : ExitCode.invalid;
}
