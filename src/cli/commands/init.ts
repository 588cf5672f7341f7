import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { ExitCode, UsageError } from "../../messages/errors.js";
import { parseFourDVersion } from "../../four-d/version.js";
import { ignoresDerivedData } from "../../files/git-ignore.js";
import { packageRoot } from "../../files/package-root.js";
import type { CliIO } from "../io.js";
import { importCommand } from "./import.js";
import { validateCommand } from "./validate.js";

export interface InitOptions {
  force: boolean;
  fourDVersion?: string;
  output: string;
  /** Start from this buildApp.4DSettings instead of the starter template. */
  from?: string;
}

/** Writes a commented starter manifest for the 4D project in the current folder, then validates it. */
export function initCommand(io: CliIO, options: InitOptions): number {
  const target = path.resolve(io.cwd, options.output);
  if (existsSync(target) && !options.force) throw new UsageError(`${options.output} already exists`, "use --force to overwrite it");
  if (options.fourDVersion && !parseFourDVersion(options.fourDVersion)) throw new UsageError(`"${options.fourDVersion}" is not a 4D version`, 'write it as 4D does: "20", "20 R8", "21"');
  if (options.from) {
    importCommand(io, options.from, { output: options.output, force: options.force, ...(options.fourDVersion ? { fourDVersion: options.fourDVersion } : {}) });
    return validateCommand(io, options.output, { format: "text" });
  }
  const fourDVersion = options.fourDVersion ?? "21";
  const projectDir = path.join(io.cwd, "Project");
  const projects = existsSync(projectDir) ? readdirSync(projectDir).filter((f) => f.endsWith(".4DProject")).sort() : [];
  if (projects.length === 0) throw new UsageError("no 4D project here: expected Project/<Name>.4DProject in the current folder", "run 4dbuild init in the project package folder");
  const project = projects[0]!;
  const name = project.replace(/\.4DProject$/, "");
  const template = Handlebars.compile(readFileSync(path.join(packageRoot(), "templates", "4dbuild.yml.hbs"), "utf8"), { noEscape: true, strict: true });
  const relativeProject = path.relative(path.dirname(target), path.join(projectDir, project)).split(path.sep).join("/");
  const compile = ignoresDerivedData(io.cwd);
  writeFileSync(target, template({ name, project: relativeProject, fourDVersion, compile, schema: "https://raw.githubusercontent.com/4dbuild/4dbuild/main/schema/4dbuild.schema.json" }));
  if (compile) io.stderr.write("the repository ignores Project/DerivedData/ (no compiled code in a clone): compile.enabled is true\n");
  io.stderr.write(`wrote ${options.output} for ${name}\n`);
  return validateCommand(io, options.output, { format: "text" }) === ExitCode.ok ? ExitCode.ok : ExitCode.invalid;
}
