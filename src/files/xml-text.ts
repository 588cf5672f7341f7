import { readFileSync } from "node:fs";
import { XMLValidator } from "fast-xml-parser";
import type { PlistValue } from "plist";
import { parsePlist } from "./plist-parse.js";
import { BuildError } from "../messages/errors.js";

/**
 * The text of a file and how to write text back in the same encoding: UTF-16 with its byte-order mark (either
 * order), else UTF-8. A UTF-8 byte-order mark (EF BB BF, as in 4D's own component repositories) is removed
 * from the text and written back.
 */
export function decodeBytes(data: Buffer): { text: string; encode: (text: string) => Buffer } {
  const mark = data.subarray(0, 3);
  if (mark[0] === 0xff && mark[1] === 0xfe) return { text: data.subarray(2).toString("utf16le"), encode: (t) => Buffer.concat([mark.subarray(0, 2), Buffer.from(t, "utf16le")]) };
  if (mark[0] === 0xfe && mark[1] === 0xff) return { text: Buffer.from(data.subarray(2)).swap16().toString("utf16le"), encode: (t) => Buffer.concat([mark.subarray(0, 2), Buffer.from(t, "utf16le").swap16()]) };
  const bom = mark.length === 3 && mark[0] === 0xef && mark[1] === 0xbb && mark[2] === 0xbf;
  return { text: data.subarray(bom ? 3 : 0).toString("utf8"), encode: (t) => (bom ? Buffer.concat([mark, Buffer.from(t, "utf8")]) : Buffer.from(t, "utf8")) };
}

/**
 * XML as its parsers expect it: no byte-order mark before the declaration, and every CR LF or lone CR turned
 * into LF, as XML 1.0 §2.11 requires of a processor (xmldom, under the plist package, does not; it doubles
 * line breaks inside values and refuses a declaration after a byte-order mark).
 */
export const xmlText = (text: string): string => text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");

/** An XML file (settings, property list) read for parsing: any byte-order mark, any line ends. */
export const readXmlFile = (file: string): string => xmlText(decodeBytes(readFileSync(file)).text);

/**
 * A property list (Info.plist of a project, a component or a runtime): byte-order marks and CR line ends
 * accepted. A file that is not well-formed, or not a dictionary, is a BuildError at file:line:column.
 */
export function readPlist(file: string, shown = file): Record<string, PlistValue> {
  const text = readXmlFile(file);
  const problem = (line: number, column: number, what: string): never => {
    throw new BuildError(`${shown}:${line}:${column}: ${what}`, "a property list is XML: <plist><dict><key>…</key><string>…</string></dict></plist>; open the file in an editor that shows XML errors");
  };
  const valid = XMLValidator.validate(text);
  if (valid !== true) problem(valid.err.line || 1, valid.err.col || 1, `not a well-formed property list: ${valid.err.msg}`);
  let value: PlistValue;
  try {
    value = parsePlist(text);
  } catch (error) {
    return problem(1, 1, `not a property list: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof Date || Buffer.isBuffer(value)) return problem(1, 1, "expected a dictionary (<dict>) at the top of the property list");
  return value as Record<string, PlistValue>;
}
