import path from "node:path";
import { readPlist } from "../builder/app/runtime.js";
import { compareNames } from "../files/tree.js";

/** A checksummed file of a build (a ListedFile of build-report.json). */
export interface ListedFile {
  path: string;
  size: number;
  sha256: string;
}

/** One side of a file that differs. */
export interface ComparedSide {
  size: number;
  sha256: string;
}

/** An Info.plist key whose value differs (absent on a side: undefined). Values are shown as text. */
export interface PlistKeyChange {
  key: string;
  native?: string;
  engine?: string;
}

export interface ComparedFile {
  /** Relative to the destination, "/" separators. */
  path: string;
  status: "only-native" | "only-engine" | "different";
  native?: ComparedSide;
  engine?: ComparedSide;
  /** For an Info.plist that differs and that both sides can read: every key that differs. */
  plist?: PlistKeyChange[];
}

/** What `build --compare-engines` found: every file of the targets that is not the same with both builders. */
export interface EngineComparison {
  /** The engine compared with 4dbuild's native builder. */
  engine: string;
  /** Files identical on both sides (same path, size and SHA-256). */
  same: number;
  files: ComparedFile[];
}

export interface ComparedBuild {
  /** The build's destination (or staging) folder the artifact paths are relative to. */
  dir: string;
  artifacts: readonly ListedFile[];
}

const shown = (value: unknown): string | undefined => (value === undefined ? undefined : typeof value === "string" ? value : JSON.stringify(value));

/** The keys of two Info.plist files that differ, in byte order; undefined when a side cannot be read. */
function plistChanges(nativeFile: string, engineFile: string): PlistKeyChange[] | undefined {
  let native: Record<string, unknown> | undefined;
  let engine: Record<string, unknown> | undefined;
  try {
    native = readPlist(nativeFile);
    engine = readPlist(engineFile);
  } catch {
    return undefined;
  }
  if (!native || !engine) return undefined;
  const keys = [...new Set([...Object.keys(native), ...Object.keys(engine)])].sort(compareNames);
  return keys.flatMap((key) => {
    const [a, b] = [shown(native![key]), shown(engine![key])];
    return a === b ? [] : [{ key, ...(a !== undefined ? { native: a } : {}), ...(b !== undefined ? { engine: b } : {}) }];
  });
}

/**
 * Compares the files of two builds of the same units, one by 4dbuild's native builder and one by an engine
 * (4D, Build4D), from their checksummed artifact lists: files on one side only, and files whose size or
 * SHA-256 differ, with Info.plist files compared key by key.
 */
export function compareEngineOutputs(native: ComparedBuild, engine: ComparedBuild, engineName: string): EngineComparison {
  const byPath = (list: readonly ListedFile[]) => new Map(list.map((a) => [a.path, a]));
  const [left, right] = [byPath(native.artifacts), byPath(engine.artifacts)];
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort(compareNames);
  const files: ComparedFile[] = [];
  let same = 0;
  for (const file of paths) {
    const [a, b] = [left.get(file), right.get(file)];
    const side = (x: ListedFile) => ({ size: x.size, sha256: x.sha256 });
    if (!b) files.push({ path: file, status: "only-native", native: side(a!) });
    else if (!a) files.push({ path: file, status: "only-engine", engine: side(b) });
    else if (a.sha256 === b.sha256 && a.size === b.size) same++;
    else {
      const plist = path.posix.basename(file) === "Info.plist" ? plistChanges(path.join(native.dir, ...file.split("/")), path.join(engine.dir, ...file.split("/"))) : undefined;
      files.push({ path: file, status: "different", native: side(a), engine: side(b), ...(plist ? { plist } : {}) });
    }
  }
  return { engine: engineName, same, files };
}

/** The comparison as lines of text, for the terminal (the job summary has its own table). */
export function comparisonText(comparison: EngineComparison): string {
  const { files } = comparison;
  const lines = [`compare-engines: ${files.length} file${files.length === 1 ? "" : "s"} differ between the native builder and ${comparison.engine} (${comparison.same} identical)`];
  for (const f of files) {
    const sides = [f.native ? `native ${f.native.size} B ${f.native.sha256.slice(0, 12)}` : "not native", f.engine ? `${comparison.engine} ${f.engine.size} B ${f.engine.sha256.slice(0, 12)}` : `not ${comparison.engine}`];
    lines.push(`  ${f.status.padEnd(11)} ${f.path} (${sides.join(", ")})`);
    for (const k of f.plist ?? []) lines.push(`      ${k.key}: ${k.native ?? "(absent)"} → ${k.engine ?? "(absent)"}`);
  }
  return `${lines.join("\n")}\n`;
}
