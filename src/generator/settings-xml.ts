import { openSync, readSync, closeSync, fstatSync } from "node:fs";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { decodeBytes, xmlText } from "../files/xml-text.js";
import { decodeXmlReferences } from "../files/xml-references.js";
import { LIMITS, xmlTooDeep } from "../manifest/limits.js";
import type { Diagnostic } from "../messages/diagnostics.js";
import { InvalidInputError } from "../messages/errors.js";
import { CONTAINERS, KEY_DEFS, keyDef } from "./keys.js";

/** A key's value as written in the file: text, or the items of an array key. */
export type SettingValue = string | readonly string[];

/** The content of a buildApp.4DSettings: values by key path below BuildApp, and containers present even when empty. */
export interface SettingsDocument {
  values: Map<string, SettingValue>;
  containers: Set<string>;
}

export const emptySettings = (): SettingsDocument => ({ values: new Map(), containers: new Set() });

/** Real files are a few kilobytes; anything this big is refused before it is read. */
export const MAX_SETTINGS_BYTES = 1024 * 1024;
export const DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="no" ?>';

// A CR is written as a character reference: XML parsers turn a literal one into LF (and so does parseSettings).
const escapeText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");

interface XmlNode {
  name: string;
  value?: SettingValue;
  children: XmlNode[];
}

/** Canonical form: the registry's key order (unknown keys after, sorted), 2-space indent, LF, 4D's declaration. */
export function serializeSettings(settings: SettingsDocument): string {
  const root: XmlNode = { name: "BuildApp", children: [] };
  const container = (path: string[]): XmlNode => {
    let node = root;
    for (const name of path) {
      let child = node.children.find((c) => c.name === name && c.value === undefined);
      if (!child) node.children.push((child = { name, children: [] }));
      node = child;
    }
    return node;
  };
  // Keys and empty containers share one canonical order: the registry's, then unknown names alphabetically.
  const position = (path: string) => {
    const index = KEY_DEFS.findIndex((d) => d.key === path || d.key.startsWith(`${path}/`));
    return index < 0 ? KEY_DEFS.length : index;
  };
  const entries = [...settings.values.keys(), ...[...settings.containers].filter((c) => ![...settings.values.keys()].some((k) => k.startsWith(`${c}/`)))];
  entries.sort((a, b) => position(a) - position(b) || a.localeCompare(b));
  for (const entry of entries) {
    const parts = entry.split("/");
    const value = settings.values.get(entry);
    if (value === undefined) container(parts);
    else container(parts.slice(0, -1)).children.push({ name: parts.at(-1)!, value, children: [] });
  }

  const lines: string[] = [DECLARATION, "<Preferences4D>"];
  const write = (node: XmlNode, depth: number) => {
    const indent = "  ".repeat(depth);
    if (typeof node.value === "string") lines.push(`${indent}<${node.name}>${escapeText(node.value)}</${node.name}>`);
    else if (node.value) {
      lines.push(`${indent}<${node.name}>`, `${indent}  <ItemsCount>${node.value.length}</ItemsCount>`);
      node.value.forEach((item, i) => lines.push(`${indent}  <Item${i + 1}>${escapeText(item)}</Item${i + 1}>`));
      lines.push(`${indent}</${node.name}>`);
    } else {
      lines.push(`${indent}<${node.name}>`);
      for (const child of node.children) write(child, depth + 1);
      lines.push(`${indent}</${node.name}>`);
    }
  };
  write(root, 1);
  lines.push("</Preferences4D>", "");
  return lines.join("\n");
}

type Ordered = Record<string, Ordered[] | string>;

/**
 * Line and column of the element `key` (a path below BuildApp), found by walking the opening tags in order;
 * `occurrence` 1 is the second element of that name (a key given twice), and so on.
 */
function locate(text: string, key: string, occurrence = 0): { line: number; column: number } {
  let at = text.search(/<(\w+:)?BuildApp[\s>]/);
  if (at < 0) return { line: 1, column: 1 };
  const names = key.split("/");
  for (const [i, name] of names.entries()) {
    const tag = new RegExp(`<(\\w+:)?${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[\\s/>]`, "gi");
    tag.lastIndex = at + 1;
    let match = tag.exec(text);
    for (let skip = i === names.length - 1 ? occurrence : 0; match && skip > 0; skip--) match = tag.exec(text);
    if (!match) break;
    at = match.index;
  }
  return { line: text.slice(0, at).split("\n").length, column: at - text.lastIndexOf("\n", at - 1) };
}

/** Reads a settings file (UTF-8 or UTF-16, byte-order mark removed), refusing oversized input before parsing it. */
export function readSettingsFile(file: string, displayName = file): { text: string } {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_SETTINGS_BYTES) {
      throw new InvalidInputError([
        { severity: "error", code: "too-large", file: displayName, message: `${displayName} is ${(size / 1024 / 1024).toFixed(1)} MB; a buildApp.4DSettings is a few kilobytes`, hint: `files over ${MAX_SETTINGS_BYTES / 1024 / 1024} MB are refused` },
      ]);
    }
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { text: decodeBytes(buffer.subarray(0, read)).text };
  } finally {
    closeSync(fd);
  }
}

/**
 * Parses buildApp.4DSettings text: any 4D version, with or without the buildapp namespace, CR, LF or CR LF
 * line ends, any boolean case, empty elements. DOCTYPE and entity declarations are refused (XXE, entity expansion).
 */
export function parseSettings(source: string, file: string): { settings: SettingsDocument; diagnostics: Diagnostic[] } {
  const text = xmlText(source);
  const fail = (message: string, line?: number, column?: number, hint?: string): never => {
    throw new InvalidInputError([{ severity: "error", code: "bad-settings", file, message, ...(line ? { line, column: column ?? 1 } : {}), ...(hint ? { hint } : {}) }], new Map([[file, text]]));
  };
  if (text.length > MAX_SETTINGS_BYTES) fail(`${file} is larger than ${MAX_SETTINGS_BYTES / 1024 / 1024} MB; a buildApp.4DSettings is a few kilobytes`);
  const doctype = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (doctype) {
    const line = text.slice(0, doctype.index).split("\n").length;
    fail(`${file} declares a ${doctype[1]!.toUpperCase()}: refused`, line, doctype.index - text.lastIndexOf("\n", doctype.index - 1), "4D's settings files have none; DTDs and entities are refused because they can read files or expand without bound");
  }
  const deep = xmlTooDeep(text, LIMITS.depth);
  if (deep !== undefined) {
    const before = text.slice(0, deep);
    fail(`${file} nests elements more than ${LIMITS.depth} levels deep`, before.split("\n").length, deep - before.lastIndexOf("\n"), "a buildApp.4DSettings is four or five levels deep: is this the right file?");
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) fail(`${file} is not well-formed XML: ${valid.err.msg}`, valid.err.line, valid.err.col, "4D templates with <!--#4d…--> tags must be processed by 4D before they are a settings file");

  const parsed = new XMLParser({ preserveOrder: true, removeNSPrefix: true, ignoreAttributes: true, trimValues: false, parseTagValue: false, ignoreDeclaration: true, ignorePiTags: true, processEntities: false, cdataPropName: "#cdata" }).parse(text) as Ordered[];
  const root = parsed.find((n) => "Preferences4D" in n);
  const buildApp = (root?.Preferences4D as Ordered[] | undefined)?.find((n) => "BuildApp" in n)?.BuildApp as Ordered[] | undefined;
  if (!buildApp) fail(`${file} is not a buildApp.4DSettings: expected <Preferences4D><BuildApp>…`, 1, 1);

  const settings = emptySettings();
  const diagnostics: Diagnostic[] = [];
  const warn = (key: string, message: string, hint?: string, occurrence = 0) => diagnostics.push({ severity: "warning", code: "settings", file, ...locate(text, key, occurrence), message, ...(hint ? { hint } : {}) });

  const elements = (nodes: Ordered[]) => nodes.flatMap((n) => Object.entries(n).filter(([name]) => name !== "#text" && name !== "#cdata")) as [string, Ordered[]][];
  // Text is decoded here (references), CDATA sections are taken as they are.
  // Decoded here, not by the parser, whose own decoding leaves &#13; as it is (a literal CR would be read as LF).
  const textOf = (nodes: Ordered[]): string => nodes.map((n) => (typeof n["#text"] === "string" ? decodeXmlReferences(n["#text"]) : Array.isArray(n["#cdata"]) ? n["#cdata"].map((c) => c["#text"] ?? "").join("") : "")).join("");

  const walk = (nodes: Ordered[], prefix: string) => {
    for (const [rawName, children] of elements(nodes)) {
      const rawKey = prefix ? `${prefix}/${rawName}` : rawName;
      const key = keyDef(rawKey)?.key ?? CONTAINERS.find((c) => c.toLowerCase() === rawKey.toLowerCase()) ?? rawKey;
      const inner = elements(children);
      const isArray = inner.some(([n]) => n.toLowerCase() === "itemscount");
      if (isArray) {
        const items = inner.flatMap(([n, c]) => (/^Item\d+$/i.test(n) ? [[Number(n.slice(4)), textOf(c)] as const] : [])).sort((a, b) => a[0] - b[0]);
        const declared = Number(textOf(inner.find(([n]) => n.toLowerCase() === "itemscount")![1]).trim());
        if (declared !== items.length) warn(key, `${key} declares ItemsCount ${declared} but has ${items.length} item(s)`, "the items found are kept");
        set(key, items.map(([, value]) => value));
      } else if (inner.length > 0 || CONTAINERS.includes(key)) {
        settings.containers.add(key);
        walk(children, key);
      } else {
        set(key, textOf(children));
      }
    }
  };
  const seen = new Map<string, number>();
  const set = (key: string, value: SettingValue) => {
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (settings.values.has(key)) warn(key, `${key} appears twice; the first value is kept`, undefined, seen.get(key)! - 1);
    else settings.values.set(key, value);
  };
  walk(buildApp!, "");
  return { settings, diagnostics };
}
