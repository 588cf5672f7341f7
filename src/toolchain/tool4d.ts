import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../messages/diagnostics.js";
import type { FourDVersion } from "../four-d/version.js";
import type { ResolvedConfig } from "../manifest/plan.js";
import { packageRoot } from "../files/package-root.js";
import { copyTree } from "../files/copy.js";
import { BuildError } from "../messages/errors.js";
import { tool4dHost, tool4dRelease, tool4dUrl } from "./tool4d-release.js";

/** Methods of 4dbuild's 4D project (templates/compiler), run by tool4d or 4D with a JSON request. */
export type FourDMethod = "compile_project" | "deployment_license";

export interface CompileRequest {
  project: string;
  options: Record<string, unknown>;
  plugins?: string;
  /** The compiled components (.4DZ) passed to Compile project: those the project uses and compile.components. */
  components: string[];
  result: string;
  errorFlag: string;
}

/** The options object of 4D's Compile project, from the manifest (licenses-and-ci.md §5.1). */
export function compileOptions(compile: ResolvedConfig["compile"]): Record<string, unknown> {
  const targets = { x86_64: "x86_64_generic", arm64: "arm64_macOS_lib" } as const;
  const types = { real: "Is real", longint: "Is longint" } as const;
  return {
    targets: compile.targets.map((t) => targets[t]),
    typeInference: compile.typeInference,
    generateSymbols: compile.generateSymbols,
    generateSyntaxFile: compile.generateSyntaxFile,
    ...(compile.generateTypingMethods ? { generateTypingMethods: compile.generateTypingMethods } : {}),
    ...(compile.defaultTypeForNumerics ? { defaultTypeForNumerics: types[compile.defaultTypeForNumerics] } : {}),
    ...(compile.defaultTypeForButtons ? { defaultTypeForButtons: types[compile.defaultTypeForButtons] } : {}),
    ...(compile.warnings ? { warnings: compile.warnings.map((w) => ({ ...w })) } : {}),
  };
}

/** tool4d's command line (licenses-and-ci.md §4.2): headless, no data, no On Startup, our method, the request. */
export function tool4dArguments(compilerProjectFile: string, method: FourDMethod, request: object): string[] {
  return ["--project", compilerProjectFile, "--dataless", "--skip-onstartup", "--startup-method", method, "--user-param", JSON.stringify(request)];
}

/** Where to download tool4d for this 4D version and host: the latest build (src/toolchain/tool4d-release.ts has the scheme and its sources). */
export function tool4dDownloadUrl(fourD: FourDVersion, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const release = tool4dRelease(fourD);
  return tool4dUrl(release, tool4dHost(release, platform === "darwin" || platform === "win32" ? platform : "linux", arch));
}

/**
 * The tool4d executable: the configured one, else TOOL4D; with `auto`, the one the provision step downloaded
 * (`provisioned`). A missing one says where to get it.
 */
export function findTool4d(configured: string | undefined, env: NodeJS.ProcessEnv, fourD: FourDVersion, baseDir: string, why = { purpose: "compile.enabled is true", setting: "compile.tool4d" }, provisioned?: string): string {
  if (configured === "auto") {
    if (!provisioned) throw new Error("compile.tool4d is auto, but the provision step did not download tool4d");
    return provisioned;
  }
  const candidate = configured ? path.resolve(baseDir, configured) : env.TOOL4D;
  if (!candidate)
    throw new BuildError(`${why.purpose} but no tool4d is configured`, `set ${why.setting} or the TOOL4D environment variable to the tool4d executable${why.setting === "compile.tool4d" ? ", or compile.tool4d: auto to let 4dbuild download it" : ""}; tool4d ${fourD.text} for this machine: ${tool4dDownloadUrl(fourD)} (unpack it, then use bin/tool4d, tool4d.app/Contents/MacOS/tool4d or tool4d\\tool4d.exe)`);
  if (!existsSync(candidate)) throw new BuildError(`tool4d not found: ${candidate}`, `download tool4d ${fourD.text}: ${tool4dDownloadUrl(fourD)}, or set compile.tool4d: auto`);
  return candidate;
}

/** Where and how a 4D method runs: a private work folder, the build's date, environment and stop signal. */
export interface FourDRunContext {
  work: string;
  sourceDate: number;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export interface CompilerRun {
  exitCode: number | null;
}

/** Runs tool4d (or 4D) and waits; stopped with the build's signal, and then waited for until it has quit. */
export function runTool4d(tool4d: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; signal: AbortSignal; onOutput: (line: string) => void }): Promise<CompilerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool4d, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], signal: options.signal });
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split(/\r?\n/)) if (line.trim()) options.onOutput(line);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", (error) => {
      // Stopped by the build's signal: wait until it has quit (4D writes on its way out), forcing it after 10 s,
      // so that nothing writes into the work folder once the caller has removed it.
      if (!options.signal.aborted || child.exitCode !== null || child.signalCode !== null) return reject(error);
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("close", () => {
        clearTimeout(force);
        reject(error);
      });
    });
    child.on("close", (exitCode) => resolve({ exitCode }));
  });
}

interface CompilerMessage {
  isError?: boolean;
  message?: string;
  line?: number;
  lineInFile?: number;
  code?: { type?: string; path?: string; file?: string; methodName?: string; className?: string; functionName?: string; formName?: string; objectName?: string; databaseMethod?: string; table?: string | number };
}

/** Where a compiler message is, in 4D's words: method, class.function, form.object, database method. */
function place(code: NonNullable<CompilerMessage["code"]>): string {
  if (code.className) return code.functionName ? `${code.className}.${code.functionName}` : code.className;
  if (code.formName) return code.objectName ? `${code.formName}.${code.objectName}` : code.formName;
  return code.methodName ?? code.databaseMethod ?? code.path ?? "";
}

/** Compiler errors and warnings as diagnostics on the 4D source files, relative to `root`. */
export function compilerDiagnostics(resultFile: string, root: string): { success: boolean; diagnostics: Diagnostic[] } {
  const result = JSON.parse(readFileSync(resultFile, "utf8")) as { success?: boolean; errors?: CompilerMessage[] };
  const diagnostics = (result.errors ?? []).map((e): Diagnostic => {
    const where = e.code ? place(e.code) : "";
    const file = e.code?.file ? path.relative(root, e.code.file).split(path.sep).join("/") : undefined;
    const line = e.lineInFile ?? e.line;
    return { severity: e.isError === false ? "warning" : "error", code: "compiler", message: `${where ? `${where}: ` : ""}${e.message ?? "compiler message"}`, ...(file ? { file } : {}), ...(file && line ? { line, column: 1 } : {}) };
  });
  return { success: Boolean(result.success), diagnostics };
}

/**
 * Runs one method of 4dbuild's 4D project with a JSON request, in a private copy of the project (tool4d
 * writes into the project it opens, and 4dbuild may be installed read-only). Output lines go to `onOutput`.
 */
export async function runFourDMethod(
  context: FourDRunContext,
  executable: string,
  method: FourDMethod,
  request: object,
  onOutput: (line: string) => void,
): Promise<CompilerRun> {
  const project = path.join(context.work, "compiler");
  if (!existsSync(project)) await copyTree(path.join(packageRoot(), "templates", "compiler"), project, { sourceDate: context.sourceDate, boundary: path.join(packageRoot(), "templates") });
  return runTool4d(executable, tool4dArguments(path.join(project, "Project", "Compiler.4DProject"), method, request), { cwd: context.work, env: context.env, signal: context.signal, onOutput });
}
