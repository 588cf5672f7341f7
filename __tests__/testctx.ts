/**
 * Test contexts for build steps, as GoReleaser's testctx: a real BuildContext made from a small manifest text,
 * with fresh work and out folders, a logger that records what it is told, and helpers that stage what earlier
 * steps would have produced. Every temporary folder is removed after each test, whether it passed or failed.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, type PlistValue } from "plist";
import { CompressionPool } from "../src/archives/pool.js";
import { DigestRegistry } from "../src/files/digests.js";
import { appPaths, copyRuntime, type AppPaths } from "../src/builder/app/paths.js";
import { detectRuntime } from "../src/builder/app/runtime.js";
import type { Artifact, BuildContext } from "../src/builder/context.js";
import type { BuildLogger } from "../src/builder/logger.js";
import { preflight } from "../src/builder/preflight.js";
import type { BuildStep, UnitStep } from "../src/builder/step.js";
import { planUnits, unitName, type AppUnit, type BuildUnit } from "../src/builder/units.js";
import { walkTree } from "../src/files/tree.js";
import { loadManifestText } from "../src/manifest/load.js";
import { formatDiagnostics, type Diagnostic } from "../src/messages/diagnostics.js";
import { Redactor } from "../src/messages/redactor.js";
import { createCodeSigningCertificate } from "../src/signing/create.js";
import { SecretFolder } from "../src/signing/secret-folder.js";
import { testKey } from "./helpers.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** SOURCE_DATE_EPOCH of every test context (2023-11-14 22:13:20 UTC). */
export const SOURCE_DATE = 1700000000;
/** The example project; a manifest text is read as if it sat in this folder unless told otherwise. */
export const HELLO_DIR = path.join(ROOT, "examples", "hello");
/** The stand-in 4D runtimes (not 4D): small folders shaped like 4D Volume Desktop and 4D Server. */
export const RUNTIMES = path.join(ROOT, "examples", "runtimes");
export const FIXTURE_APP = path.join(ROOT, "__tests__", "fixtures", "app");

// ---------------------------------------------------------------------------------------------------------
// Temporary folders

const created: string[] = [];

/** Removes every folder made by this file's helpers; afterEach runs after a failing test as after a passing one. */
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder, removed after the test. */
export function tempDir(label = "tmp"): string {
  const dir = mkdtempSync(path.join(tmpdir(), `4dbuild-step-${label}-`));
  created.push(dir);
  return dir;
}

/** The folders the current test made and that will be removed after it. */
export const liveTempDirs = (): readonly string[] => [...created];

/** A private copy of the example project (examples/hello), to change files of the project itself. */
export function projectCopy(): string {
  const dir = path.join(tempDir("project"), "hello");
  cpSync(HELLO_DIR, dir, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.includes("_Build") });
  return dir;
}

// ---------------------------------------------------------------------------------------------------------
// Manifests

/**
 * The start of a manifest of the example: name Hello, its project, 4D 21. `${env.RUNTIMES}` (set in every test
 * context's environment) points at the stand-in runtimes, so a manifest read from a copy of the project finds them too.
 */
export const hello = (body = "", fourD = "21") => `version: 1\nname: Hello\nproject: Project/Hello.4DProject\n4dVersion: "${fourD}"\n${body}`;

/** A runtime block for an application target, from the stand-in runtimes. */
export const runtimeOf = (kind: "Volume Desktop" | "Server", indent = "    ") =>
  `${indent}runtime:\n${indent}  mac: \${env.RUNTIMES}/mac/4D ${kind}.app\n${indent}  win: \${env.RUNTIMES}/win/4D ${kind}\n`;

/** targets: with the given application targets, each for both platforms with the stand-in runtimes. */
export function appTargets(...targets: ("standalone" | "server" | "client")[]): string {
  return `targets:\n${targets.map((t) => `  ${t}:\n${runtimeOf(t === "server" ? "Server" : "Volume Desktop")}`).join("")}`;
}

// ---------------------------------------------------------------------------------------------------------
// Logger

export type LogEvent =
  | { kind: "step-start"; step: string; title: string; unit?: string }
  | { kind: "step-end"; step: string; unit?: string; skipped?: string; durationMs: number }
  | { kind: "progress"; files: number; bytes: number }
  | { kind: "info"; message: string }
  | { kind: "diagnostic"; diagnostic: Diagnostic };

/** A logger that keeps what it is told, as told (the real loggers redact when they write). */
export interface RecordingLogger extends BuildLogger {
  readonly events: LogEvent[];
  /** The info lines, in order. */
  infos(): string[];
  /** The last progress report (files, bytes), if any. */
  lastProgress(): { files: number; bytes: number } | undefined;
}

export function recordingLogger(): RecordingLogger {
  const events: LogEvent[] = [];
  return {
    events,
    stepStart: (step, title, unit) => events.push({ kind: "step-start", step, title, ...(unit ? { unit } : {}) }),
    stepEnd: (step, outcome) => events.push({ kind: "step-end", step, ...outcome }),
    progress: (files, bytes) => events.push({ kind: "progress", files, bytes }),
    info: (message) => events.push({ kind: "info", message }),
    diagnostic: (diagnostic) => events.push({ kind: "diagnostic", diagnostic }),
    infos: () => events.flatMap((e) => (e.kind === "info" ? [e.message] : [])),
    lastProgress() {
      const last = events.filter((e) => e.kind === "progress").at(-1);
      return last ? { files: last.files, bytes: last.bytes } : undefined;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Contexts

export interface StepContext extends BuildContext {
  readonly logger: RecordingLogger;
  /** Aborts the context's signal, as an interrupted build does. */
  abort(): void;
}

export interface ContextOptions {
  /** The folder the manifest is read from (relative paths start there). Default: examples/hello. */
  dir?: string;
  /** Added to the context's environment ({ PATH, RUNTIMES }). */
  env?: NodeJS.ProcessEnv;
  /** The time the signing certificate is checked against. */
  now?: Date;
  /** false: skip the checks validate makes of files and of the project, to test what the step itself refuses. */
  checks?: false;
}

let compressor: CompressionPool | undefined;
afterAll(async () => {
  await compressor?.close();
  compressor = undefined;
});

/** The compressor threads of every context of a test file: two, as the machine this project is developed on has. */
const testCompressor = (): CompressionPool => (compressor ??= new CompressionPool(2));

/**
 * A BuildContext for one step, from the text of a manifest: loaded as 4dbuild loads it (validation, rules and
 * defaults; git facts absent), checked by the preflight (signing.certificate opened), with empty work and out folders.
 */
export function stepContext(manifest: string, options: ContextOptions = {}): StepContext {
  const dir = options.dir ?? HELLO_DIR;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, RUNTIMES, ...options.env };
  const redactor = new Redactor();
  const checks = options.checks === false ? { checkFiles: false, checkProject: false } : {};
  const loaded = loadManifestText(path.join(dir, "4dbuild.yml"), manifest, { env, redactor, git: () => undefined, displayName: "4dbuild.yml", ...checks });
  if (!loaded.plan) throw new Error(`the test manifest is invalid:\n${formatDiagnostics(loaded.diagnostics, { format: "text" })}\n${manifest}`);
  const plan = loaded.plan;
  const checked = preflight(plan, planUnits(plan), { host: process.platform, now: options.now ?? new Date(), redactor });
  const root = tempDir("ctx");
  const [work, out] = [path.join(root, "work"), path.join(root, "out")];
  mkdirSync(work);
  mkdirSync(out);
  const controller = new AbortController();
  return {
    plan,
    logger: recordingLogger(),
    work,
    out,
    secrets: new SecretFolder(root),
    sourceDate: SOURCE_DATE,
    env,
    redactor,
    signal: controller.signal,
    artifacts: [],
    warnings: [...checked.warnings],
    records: [],
    reported: [],
    units: planUnits(plan),
    provisioned: { runtimes: new Map() },
    compressor: testCompressor(),
    digests: new DigestRegistry(),
    ...(checked.signing ? { signing: checked.signing } : {}),
    abort: () => controller.abort(new Error("aborted by the test")),
  };
}

/**
 * Runs one step as the pipeline would: only for a unit it applies to, never when its `skip` gives a reason (a
 * test that means to run a step must not pass because the step would have done nothing), and records it.
 */
export async function runStep(context: StepContext, step: BuildStep): Promise<void>;
export async function runStep<U extends BuildUnit>(context: StepContext, step: UnitStep<U>, unit: U): Promise<void>;
export async function runStep(context: StepContext, step: BuildStep | UnitStep, unit?: BuildUnit): Promise<void> {
  const startedAt = Date.now();
  let skipped: string | false | undefined;
  if (step.scope === "unit") {
    if (!unit || !step.appliesTo(unit)) throw new Error(`${step.name} does not apply to ${unit ? unitName(unit) : "the build"}`);
    skipped = step.skip?.(context.plan, unit);
  } else skipped = step.skip?.(context.plan);
  if (skipped) throw new Error(`${step.name} would be skipped: ${skipped}`);
  context.logger.stepStart(step.name, step.title, unit ? unitName(unit) : undefined);
  if (step.scope === "unit") await step.run(context, unit!);
  else await step.run(context);
  const durationMs = Date.now() - startedAt;
  context.records.push({ step: step.name, startedAt, ...(unit ? { unit: unitName(unit) } : {}), status: "done", durationMs });
  context.logger.stepEnd(step.name, { ...(unit ? { unit: unitName(unit) } : {}), durationMs });
}

// ---------------------------------------------------------------------------------------------------------
// What earlier steps produce

/** What the structure step leaves: work/Project (stripped), registered as the structure. */
export function stageProject(context: BuildContext, files: Record<string, string> = { "Hello.4DProject": "{}\n", "DerivedData/CompiledCode/map.json": "{}\n", "Sources/Forms/Main/form.4DForm": "{}\n" }): string {
  const project = path.join(context.work, "Project");
  writeTree(project, files);
  context.artifacts.push({ kind: "structure", path: project });
  return project;
}

/** What the pack step leaves: work/<Name>.4DZ, registered as the structure. */
export function stagePacked(context: BuildContext, bytes: string | Buffer = "STAGED .4DZ"): string {
  const file = path.join(context.work, `${context.plan.config.name}.4DZ`);
  writeFileSync(file, bytes);
  context.artifacts.push({ kind: "structure", path: file });
  return file;
}

/** What the runtime step leaves: the unit's stand-in runtime copied into out and renamed after the application. */
export async function stageApplication(context: BuildContext, unit: AppUnit): Promise<AppPaths> {
  const paths = appPaths(context.out, context.plan, unit);
  const source = context.plan.targets[unit.target]!.runtime[unit.platform]!;
  if (source.kind !== "folder") throw new Error("stageApplication copies runtime folders only");
  await copyRuntime(source.path, detectRuntime(source.path), paths, { sourceDate: context.sourceDate, signal: context.signal });
  return paths;
}

/** Files (relative path: content) under `root`, written with their folders. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, ...relative.split("/"));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading results

/** Every file and link under `root`, relative with "/", in byte order; folders end with "/" when `folders` is set. */
export async function listTree(root: string, options: { folders?: boolean } = {}): Promise<string[]> {
  const entries = await walkTree(root, root, "keep");
  return entries.filter((e) => options.folders || e.kind !== "directory").map((e) => (e.kind === "directory" ? `${e.relative}/` : e.relative));
}

export const readPlist = (file: string): Record<string, PlistValue> => parse(readFileSync(file, "utf8")) as Record<string, PlistValue>;

/** The entry names of a zip, as unzip lists them. */
export const zipNames = (file: string): string[] => execFileSync("unzip", ["-Z1", file], { encoding: "utf8" }).trim().split("\n");

/** Paths of the artifacts of a kind, relative to out. */
export const artifactPaths = (context: BuildContext, kind: Artifact["kind"]): string[] =>
  context.artifacts.filter((a) => a.kind === kind).map((a) => path.relative(context.out, a.path).split(path.sep).join("/"));

// ---------------------------------------------------------------------------------------------------------
// Stand-in tools

export interface StandInCall {
  program: string;
  cwd: string;
  args: string[];
}

/**
 * Stand-in command-line tools (not the real ones): each records its name, working folder and arguments, exits 1
 * when STANDIN_FAIL names it, and otherwise "signs" like a signing tool: with --in X --out Y, Y is X followed by
 * "+SIGNED"; with --in X alone, X gets "+SIGNED" in place. Put `bin` first on the context's PATH.
 */
export function standInTools(...names: string[]): { bin: string; env: NodeJS.ProcessEnv; calls(): StandInCall[] } {
  const bin = tempDir("bin");
  const record = path.join(bin, "calls.jsonl");
  const script = `#!${process.execPath}
const fs = require("node:fs");
const path = require("node:path");
const program = path.basename(process.argv[1]);
const args = process.argv.slice(2);
fs.appendFileSync(process.env.STANDIN_RECORD, JSON.stringify({ program, cwd: process.cwd(), args }) + "\\n");
if (process.env.STANDIN_FAIL === program) { console.error(program + ": failed on purpose"); process.exit(1); }
const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const input = value("--in");
if (input) fs.writeFileSync(value("--out") ?? input, Buffer.concat([fs.readFileSync(input), Buffer.from("+SIGNED")]));
`;
  for (const name of names) writeFileSync(path.join(bin, name), script, { mode: 0o755 });
  return {
    bin,
    env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, STANDIN_RECORD: record },
    calls: () => (existsSync(record) ? readFileSync(record, "utf8").trim().split("\n").map((line) => JSON.parse(line) as StandInCall) : []),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Signing

export const CERTIFICATE_PASSWORD = "step-test-p12-password";
let certificate: { p12Base64: string; pem: string } | undefined;

/** A code-signing certificate made once per test file (key generation takes a few hundred milliseconds). */
export function testCertificate(): { p12Base64: string; pem: string } {
  certificate ??= (() => {
    const made = createCodeSigningCertificate({ name: "Step Test Signing", days: 365, notBefore: new Date(Date.now() - 86_400_000), password: CERTIFICATE_PASSWORD, key: testKey("a") });
    return { p12Base64: made.p12.toString("base64"), pem: made.certificatePem };
  })();
  return certificate;
}

/** The signing.certificate block and the environment that fills it with testCertificate(). */
export function certificateSettings(): { yaml: string; env: NodeJS.ProcessEnv } {
  return {
    yaml: "  certificate:\n    p12Base64: ${secret.STEP_P12}\n    password: ${secret.STEP_P12_PASSWORD}\n",
    env: { STEP_P12: testCertificate().p12Base64, STEP_P12_PASSWORD: CERTIFICATE_PASSWORD },
  };
}

