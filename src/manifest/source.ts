import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node, type ScalarTag } from "yaml";
import type { Diagnostic } from "../messages/diagnostics.js";
import { LIMITS, yamlTooDeep } from "./limits.js";

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** A manifest as parsed, with what is needed to point at any of its nodes. */
export interface ManifestSource {
  /** Path shown in messages (as given by the user). */
  file: string;
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The node each alias stands for, found in one pass (yaml's Alias.resolve searches the whole document each time). */
  aliases: ReadonlyMap<Alias, Node>;
  /** Keys repeated in a mapping, each at the later key, and a limit the text goes beyond (then it is not parsed). */
  problems: Diagnostic[];
}

/** `!external path`: a path that may lie outside the repository (a machine path, written literally). */
export const EXTERNAL_TAG = "!external";
const externalTag: ScalarTag = { tag: EXTERNAL_TAG, resolve: (value: string) => value };

const parse = (text: string, lineCounter: LineCounter) => parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, customTags: [externalTag], keepSourceTokens: false });

/**
 * Parses a manifest within LIMITS: a text too large or nested too deep is not parsed (one located error in
 * `problems`). Repeated keys are found here in linear time (yaml's own check compares every pair of keys).
 */
export function parseSource(file: string, text: string): ManifestSource {
  const lineCounter = new LineCounter();
  const refuse = (offset: number, d: Omit<Diagnostic, "file" | "line" | "column">): ManifestSource => {
    const before = text.slice(0, offset);
    const at = { file, line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
    return { file, text, doc: parse("", lineCounter), lineCounter, aliases: new Map(), problems: [{ ...d, ...at }] };
  };
  const bytes = Buffer.byteLength(text);
  if (bytes > LIMITS.manifestBytes) {
    return refuse(0, { severity: "error", code: "too-large", message: `${file} is ${Math.ceil(bytes / 1024)} KB; a manifest may be at most ${LIMITS.manifestBytes / 1024} KB`, hint: "a manifest is a few kilobytes: is this the right file?" });
  }
  const deep = yamlTooDeep(text, LIMITS.depth);
  if (deep !== undefined) return refuse(deep, tooDeep());
  const doc = parse(text, lineCounter);
  const aliases = new Map<Alias, Node>();
  const problems: Diagnostic[] = [];
  const anchors = new Map<string, Node>();
  const source = { file, text, doc, lineCounter, aliases, problems };
  // One pass in document order: an alias names the last node anchored before it.
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) aliases.set(node, target);
      return;
    }
    if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) anchors.set(node.anchor, node);
    if (!isMap(node)) return;
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      if (!seen.has(key)) seen.add(key);
      else problems.push({ severity: "error", code: "duplicate-key", message: `duplicate key ${key}`, hint: "a key may appear only once in a mapping: keep one of them", ...locate(source, [pair.key.range?.[0] ?? 0, pair.key.range?.[1] ?? 0]) });
    }
  });
  return source;
}

export const tooDeep = (): Omit<Diagnostic, "file" | "line" | "column"> => ({
  severity: "error",
  code: "too-deep",
  message: `nested more than ${LIMITS.depth} levels deep`,
  hint: "a manifest is a few levels deep: look for a runaway of brackets, dashes or indentation here",
});

/** "targets.server.platforms[1]" */
export function displayPath(path: Path): string {
  return path.reduce<string>((out, segment) => (typeof segment === "number" ? `${out}[${segment}]` : out ? `${out}.${segment}` : segment), "");
}

export const toPointer = (path: Path): string => path.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");

export function fromPointer(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

interface Found {
  /** The deepest node that exists along the path. */
  node: Node | null;
  /** The key node of the last map entry reached. */
  key: Node | null;
  /** How many segments of the path were found. */
  depth: number;
}

function find(source: ManifestSource, path: Path): Found {
  let node = source.doc.contents as Node | null;
  let key: Node | null = null;
  let depth = 0;
  for (const segment of path) {
    if (node && isAlias(node)) node = source.aliases.get(node) ?? null;
    if (node && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      key = pair.key as Node;
      node = (pair.value as Node | null) ?? null;
    } else if (node && isSeq(node) && typeof segment === "number" && segment < node.items.length) {
      key = null;
      node = node.items[segment] as Node;
    } else break;
    depth++;
  }
  return { node, key, depth };
}

export type Range = readonly [number, number];

/**
 * Source range of the node at `path`. `target: "key"` points at the key of a map entry (unknown keys);
 * a path that does not exist points at the deepest entry that does (missing fields).
 */
export function rangeOf(source: ManifestSource, path: Path, target: "key" | "value" = "value"): Range {
  const { node, key, depth } = find(source, path);
  const complete = depth === path.length;
  const pick = target === "key" || !complete || !node?.range || node.range[0] === node.range[1] ? (key ?? node) : node;
  if (pick?.range) {
    const [start, valueEnd] = pick.range;
    return [start, Math.max(valueEnd, start)];
  }
  return [0, 0];
}

/** Raw source text of the scalar at `path` and where it starts, to locate a part of it. */
export function scalarSource(source: ManifestSource, path: Path): { start: number; raw: string } | undefined {
  const { node, depth } = find(source, path);
  if (depth !== path.length || !node?.range) return undefined;
  return { start: node.range[0], raw: source.text.slice(node.range[0], node.range[1]) };
}

export function locate(source: ManifestSource, range: Range): Pick<Diagnostic, "file" | "line" | "column" | "endLine" | "endColumn"> {
  const start = source.lineCounter.linePos(range[0]);
  const end = source.lineCounter.linePos(range[1]);
  return { file: source.file, line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
}

export function diagnosticAt(source: ManifestSource, path: Path, d: Omit<Diagnostic, "file" | "line" | "column">, target: "key" | "value" = "value"): Diagnostic {
  return { ...d, ...locate(source, rangeOf(source, path, target)), pointer: toPointer(path) };
}
