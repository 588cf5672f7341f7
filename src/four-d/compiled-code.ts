import type * as Crypto from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { writeFileAtomic } from "../files/atomic.js";
import { compareNames } from "../files/tree.js";

/**
 * The compiled code of a project. `Compile project` writes it into the project's DerivedData or Libraries folder
 * depending on the target (4d/docs@00c6c20e675fa226b76132d549382256687f4ba3:docs/commands/compile-project.md):
 * x86_64_generic into Project/DerivedData/CompiledCode, arm64_macOS_lib as Libraries/lib4d-arm64.dylib.
 */
export interface CompiledCode {
  /** Project/DerivedData/CompiledCode holds files: Intel code (Windows, Intel Macs). */
  intel: boolean;
  /** Libraries/lib4d-arm64.dylib exists: Apple Silicon code. */
  appleSilicon: boolean;
}

/**
 * The code targets a host can produce: x86_64 everywhere, arm64 (Apple Silicon, arm64_macOS_lib) on macOS only:
 * 4D builds Apple Silicon code with Apple's tool chain ("On macOS, the compilation requires that you install
 * Xcode", https://developer.4d.com/docs/21/Project/compiler), which exists on macOS alone.
 */
export function defaultCompileTargets(host: NodeJS.Platform): ("x86_64" | "arm64")[] {
  return host === "darwin" ? ["x86_64", "arm64"] : ["x86_64"];
}

export const compiledCodeFolder = (packageDir: string) => path.join(packageDir, "Project", "DerivedData", "CompiledCode");
export const appleSiliconLibrary = (packageDir: string) => path.join(packageDir, "Libraries", "lib4d-arm64.dylib");

export function compiledCode(packageDir: string): CompiledCode {
  const folder = compiledCodeFolder(packageDir);
  return { intel: existsSync(folder) && readdirSync(folder).length > 0, appleSilicon: existsSync(appleSiliconLibrary(packageDir)) };
}

/** Where 4dbuild records the sources it compiled: beside the compiled code, never packed into the structure. */
export const SOURCES_RECORD = "4dbuild-sources.json";
export const sourcesRecordFile = (packageDir: string) => path.join(packageDir, "Project", "DerivedData", SOURCES_RECORD);

/** Files of a folder (dot-files left out), by relative path in byte order. */
function files(root: string, relative = ""): string[] {
  const dir = path.join(root, relative);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) => {
      const child = relative ? `${relative}/${name}` : name;
      return statSync(path.join(root, child)).isDirectory() ? files(root, child) : [child];
    })
    .sort(compareNames);
}

// node:crypto loads on first use: most validate runs never need a digest, and loading it is ~5 ms of every start.
const sha256 = (data: string | Uint8Array): string => (createRequire(import.meta.url)("node:crypto") as typeof Crypto).createHash("sha256").update(data).digest("hex");

const sourcesRoot = (packageDir: string) => path.join(packageDir, "Project", "Sources");

export interface SourcesDigest {
  /** SHA-256 of the list of files with their own SHA-256. */
  digest: string;
  /** Project/Sources/… relative path → SHA-256 of its bytes. */
  files: Record<string, string>;
}

/** The digest of Project/Sources: what the compiled code is made from. */
export function sourcesDigest(packageDir: string): SourcesDigest {
  const root = sourcesRoot(packageDir);
  const entries = files(root).map((file) => [file, sha256(readFileSync(path.join(root, file)))] as const);
  const digest = sha256(entries.map(([file, hash]) => `${hash}  ${file}\n`).join(""));
  return { digest, files: Object.fromEntries(entries) };
}

export interface SourcesRecord extends SourcesDigest {
  recordVersion: 1;
  /** Compile project targets of the compilation. */
  targets: string[];
}

/** Records the sources just compiled, so that later builds can tell whether the compiled code is still theirs. */
export function writeSourcesRecord(packageDir: string, targets: readonly string[]): void {
  const record: SourcesRecord = { recordVersion: 1, targets: [...targets], ...sourcesDigest(packageDir) };
  mkdirSync(path.dirname(sourcesRecordFile(packageDir)), { recursive: true });
  writeFileAtomic(sourcesRecordFile(packageDir), `${JSON.stringify(record, null, 2)}\n`);
}

function readRecord(packageDir: string): SourcesRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(sourcesRecordFile(packageDir), "utf8")) as SourcesRecord;
    return record.recordVersion === 1 && typeof record.digest === "string" && record.files && typeof record.files === "object" ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A checkout writes its files within moments of each other, in no particular order: a source counts as newer
 * than the compiled code only beyond this margin.
 */
export const DATE_MARGIN_MS = 2000;

export interface Staleness {
  /** digest: compared with the record 4dbuild wrote when it compiled; dates: file modification times. */
  method: "digest" | "dates";
  /** Sources changed (added, removed, edited) since the compilation, relative to Project/Sources. */
  changed: string[];
}

function newestTime(paths: readonly string[]): number {
  let newest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const stats = statSync(p);
    if (stats.isDirectory()) newest = Math.max(newest, newestTime(files(p).map((f) => path.join(p, f))));
    else newest = Math.max(newest, stats.mtimeMs);
  }
  return newest;
}

/** Whether the compiled code is older than the sources: by the recorded digest when there is one, else by dates. */
export function staleness(packageDir: string): Staleness {
  const record = readRecord(packageDir);
  if (record) {
    const now = sourcesDigest(packageDir);
    if (now.digest === record.digest) return { method: "digest", changed: [] };
    const names = [...new Set([...Object.keys(now.files), ...Object.keys(record.files)])].sort(compareNames);
    return { method: "digest", changed: names.filter((f) => now.files[f] !== record.files[f]) };
  }
  const compiled = newestTime([compiledCodeFolder(packageDir), appleSiliconLibrary(packageDir)]);
  const root = sourcesRoot(packageDir);
  return { method: "dates", changed: files(root).filter((f) => statSync(path.join(root, f)).mtimeMs > compiled + DATE_MARGIN_MS) };
}
